#include <counters.h>
#include <syscall.h>

#include <proc.h>
#include <uaccess.h>

struct ringlet_counters event_counters;

long ringlet_counters(uint32_t user_counters)
{
    return copy_to_user(user_counters, &event_counters, sizeof(event_counters));
}
