/*
 * Spinlocks with interrupts off while held, and the DEBUG lock-order checker (spinlock.h).
 */
#include <spinlock.h>

#include <arch.h>
#include <cpu.h>
#include <kprintf.h>

#include <stddef.h>

void irq_push_off(void)
{
    bool were_on = arch_irq_enabled();
    arch_irq_disable();
    struct cpu *c = this_cpu();
    if (c->irq_off_depth++ == 0) {
        c->irq_were_on = were_on;
    }
}

void irq_pop_off(void)
{
    struct cpu *c = this_cpu();
    if (arch_irq_enabled()) {
        panic("irq_pop_off: interrupts are on");
    }
    if (c->irq_off_depth == 0) {
        panic("irq_pop_off: not pushed");
    }
    if (--c->irq_off_depth == 0 && c->irq_were_on) {
        arch_irq_enable();
    }
}

const struct spinlock *spin_order_conflict(const struct spinlock *l)
{
    const struct cpu *c = this_cpu();
    for (unsigned i = 0; i < c->held_count; i++) {
        if (c->held[i] == l || c->held[i]->order >= l->order) {
            return c->held[i];
        }
    }
    return NULL;
}

/* DEBUG: l may be taken only after every lock this CPU holds, and is not held here yet. */
static void check_order(const struct spinlock *l)
{
    const struct cpu *c = this_cpu();
    const struct spinlock *h = spin_order_conflict(l);
    if (h == l) {
        panic("spinlock: cpu%u takes %s, which it already holds", c->index, l->name);
    }
    if (h != NULL) {
        panic("spinlock: lock order: cpu%u takes %s (order %d) while holding %s (order %d)",
              c->index, l->name, (int)l->order, h->name, (int)h->order);
    }
}

static void note_taken(struct spinlock *l)
{
    struct cpu *c = this_cpu();
    l->owner = c;
    if (RINGLET_DEBUG) {
        if (c->held_count == CPU_HELD_MAX) {
            panic("spinlock: cpu%u holds %u locks, taking %s", c->index, c->held_count, l->name);
        }
        c->held[c->held_count++] = l;
    }
}

void spin_lock_smp(struct spinlock *l)
{
    irq_push_off();
    if (RINGLET_DEBUG) {
        check_order(l);
    }
    while (arch_atomic_swap(&l->locked, 1) != 0) {
        while (l->locked) {
            arch_cpu_relax();
        }
    }
    note_taken(l);
}

bool spin_trylock(struct spinlock *l)
{
    /* No order check: a CPU that does not wait cannot deadlock (Linux's lockdep agrees). */
    if (spin_one_cpu()) {
        spin_lock(l);
        return true;
    }
    irq_push_off();
    if (arch_atomic_swap(&l->locked, 1) != 0) {
        irq_pop_off();
        return false;
    }
    note_taken(l);
    return true;
}

void spin_unlock_smp(struct spinlock *l)
{
    struct cpu *c = this_cpu();
    if (!spin_holding(l)) {
        panic("spinlock: cpu%u releases %s, which it does not hold", c->index, l->name);
    }
    if (RINGLET_DEBUG) {
        /* Usually the last one taken; any order of release is allowed. */
        unsigned i = c->held_count;
        while (i > 0 && c->held[i - 1] != l) {
            i--;
        }
        for (; i < c->held_count; i++) {
            c->held[i - 1] = c->held[i];
        }
        c->held_count--;
    }
    l->owner = NULL;
    arch_atomic_swap(&l->locked, 0); /* a full barrier: the stores above are seen first */
    irq_pop_off();
}

bool spin_holding(const struct spinlock *l)
{
    return l->locked && l->owner == this_cpu();
}

void spin_check_none_held(const char *what)
{
    struct cpu *c = this_cpu();
    for (unsigned i = 0; i < c->held_count; i++) {
        if (c->held[i]->order != LOCK_ORDER_BIG) {
            panic("spinlock: cpu%u %s while holding %s", c->index, what, c->held[i]->name);
        }
    }
}
