/*
 * The big kernel lock (big_lock.h). Its waiters spin with interrupts off, so while spinning
 * they answer calls from other CPUs themselves (arch_cpu_answer_calls: TLB shootdowns): the CPU
 * holding the lock may be waiting for exactly that.
 */
#include <big_lock.h>

#include <arch.h>
#include <arch/irqflags.h>
#include <cpu.h>
#include <spinlock.h>
#include <vm.h>

#include <stddef.h>

bool big_lock_active;
static struct spinlock big_lock = SPINLOCK_INIT("big kernel lock", LOCK_ORDER_BIG);

static void take(void)
{
    while (!spin_trylock(&big_lock)) {
        while (big_lock.locked) {
            arch_cpu_answer_calls();
            arch_cpu_relax();
        }
    }
}

bool big_lock_enter(void)
{
    if (!big_lock_active || spin_holding(&big_lock)) {
        return false;
    }
    take();
    return true;
}

void big_lock_leave(void)
{
    if (big_lock_active && spin_holding(&big_lock)) {
        spin_unlock(&big_lock);
    }
}

void big_lock_idle(void)
{
    if (!big_lock_active) {
        arch_idle();
        return;
    }
    /* The page directory of the process that ran here last may be freed while this CPU
     * waits: never keep it loaded without holding the lock. */
    struct cpu *c = this_cpu();
    vm_activate(NULL);
    c->idle = true;
    spin_unlock(&big_lock);
    arch_idle();
    c->idle = false;
    take();
}

void big_lock_pause(void)
{
    if (!big_lock_active) {
        return;
    }
    spin_unlock(&big_lock);
    arch_cpu_relax();
    take();
}
