/*
 * System calls that describe the machine: sysinfo and uname.
 */
#include <errno.h>
#include <frames.h>
#include <lib/string.h>
#include <proc.h>
#include <uaccess.h>
#include <version.h>

#include <abi/sysinfo.h>
#include <abi/utsname.h>

#include <arch/memlayout.h>

long sys_sysinfo(uint32_t info)
{
    struct sysinfo s;
    memset(&s, 0, sizeof(s));
    s.totalram = frames_total_count();
    s.freeram = frames_free_count();
    s.procs = (uint16_t)proc_count();
    s.mem_unit = PAGE_SIZE;
    return copy_to_user(&current->space, info, &s, sizeof(s));
}

long sys_uname(uint32_t name)
{
    struct utsname u;
    memset(&u, 0, sizeof(u));
    strlcpy(u.sysname, "Ringlet", sizeof(u.sysname));
    strlcpy(u.nodename, "ringlet", sizeof(u.nodename));
    strlcpy(u.release, RINGLET_VERSION, sizeof(u.release));
    strlcpy(u.version, "#1", sizeof(u.version));
    strlcpy(u.machine, "i686", sizeof(u.machine));
    return copy_to_user(&current->space, name, &u, sizeof(u));
}
