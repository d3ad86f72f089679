#pragma once
/*
 * Spinlocks (xv6's acquire/release): a CPU spins until the lock is free and holds it with
 * interrupts off, so an interrupt handler on the same CPU can never wait for a lock its own CPU
 * holds. irq_push_off/irq_pop_off nest: interrupts come back on only when the outermost holder
 * lets go, and only if they were on before it.
 *
 * The lock order is written down once, in enum lock_order: a CPU takes locks only in
 * increasing order. DEBUG builds check it on every spin_lock (a lock taken out of order panics
 * with both names) and check that no spinlock is held when a process sleeps.
 */
#include <cpu.h>
#include <stdbool.h>
#include <stdint.h>

#include <arch/irqflags.h>

/* Every lock of the kernel, outermost first. docs/smp.md says what each protects and why
 * this order. */
enum lock_order {
    LOCK_ORDER_BIG = 1, /* the big kernel lock: processes, files, VM, tty, IPC (big_lock.c) */
    LOCK_ORDER_HEAP,    /* kmalloc's size classes and page cache (heap.c) */
    LOCK_ORDER_FRAMES,  /* the physical frame allocator (frames.c) */
    LOCK_ORDER_TEST,    /* the kernel tests' own locks */
};

struct spinlock {
    volatile uint32_t locked; /* 1 while held */
    const char *name;
    enum lock_order order;
    struct cpu *owner; /* the CPU holding it (for spin_holding and the reports) */
    bool irq_were_on;  /* one CPU, DEBUG=0: what spin_unlock puts back */
};

#define SPINLOCK_INIT(lock_name, lock_order) { 0, (lock_name), (lock_order), 0, false }

/* The whole lock on more CPUs, or in DEBUG builds (spinlock.c). */
void spin_lock_smp(struct spinlock *l);
void spin_unlock_smp(struct spinlock *l);

/* With one CPU there is nobody to exclude: a DEBUG=0 kernel only turns interrupts off and
 * keeps in the lock whether they were on (a single-CPU Linux build does the same). */
static inline bool spin_one_cpu(void)
{
    return !RINGLET_DEBUG && cpu_count == 1;
}

/* Takes l, spinning while another CPU holds it; interrupts stay off until spin_unlock. */
static inline void spin_lock(struct spinlock *l)
{
    if (spin_one_cpu()) {
        l->irq_were_on = arch_irq_enabled();
        arch_irq_disable();
        return;
    }
    spin_lock_smp(l);
}

/* Takes l if it is free; returns whether it did (interrupts off only if it did). Not
 * checked against the lock order: it never waits. */
bool spin_trylock(struct spinlock *l);

/* Lets l go; it must be held by this CPU. */
static inline void spin_unlock(struct spinlock *l)
{
    if (spin_one_cpu()) {
        if (l->irq_were_on) {
            arch_irq_enable();
        }
        return;
    }
    spin_unlock_smp(l);
}

/* Whether this CPU holds l. (A DEBUG=0 kernel on one CPU keeps no owner: false there.) */
bool spin_holding(const struct spinlock *l);

/* Interrupts off, nesting: the outermost irq_pop_off() puts back what irq_push_off() found. */
void irq_push_off(void);
void irq_pop_off(void);

/* DEBUG builds (the held list is kept only there): the lock this CPU holds that forbids
 * taking l now — l itself, or one of the same or a later order — or NULL when l may be taken. */
const struct spinlock *spin_order_conflict(const struct spinlock *l);

/* DEBUG builds: panics naming the locks this CPU holds, other than the big kernel lock, when
 * it is about to sleep (what) holding any. */
void spin_check_none_held(const char *what);
