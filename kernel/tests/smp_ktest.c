/*
 * More than one CPU: the lock-order checker, calls between CPUs (inter-processor interrupts),
 * and a TLB shootdown seen by the other CPU. The cases that need a second CPU skip on one
 * (tests/kernel boots these with two).
 */
#include <ktest.h>

#include <arch.h>
#include <cpu.h>
#include <frames.h>
#include <spinlock.h>
#include <vm.h>

#include <lib/string.h>

#include <arch/irqflags.h>
#include <arch/memlayout.h>

static struct spinlock outer = SPINLOCK_INIT("test outer", LOCK_ORDER_FRAMES);
static struct spinlock inner = SPINLOCK_INIT("test inner", LOCK_ORDER_TEST);

static void lock_order_checker_finds_an_inversion(struct ktest *t)
{
    spin_lock(&outer);
    KEXPECT(t, spin_order_conflict(&inner) == NULL);   /* increasing order: fine */
    KEXPECT(t, spin_order_conflict(&outer) == &outer); /* a CPU never takes a lock twice */
    spin_lock(&inner);
    spin_unlock(&inner);
    spin_unlock(&outer);
    spin_lock(&inner);
    KEXPECT(t, spin_order_conflict(&outer) == &inner); /* outer after inner: the inversion */
    spin_unlock(&inner);
    KEXPECT(t, spin_order_conflict(&outer) == NULL);
}

static void spinlocks_nest_interrupts_off(struct ktest *t)
{
    bool were_on = arch_irq_enabled();
    arch_irq_enable();
    spin_lock(&outer);
    KEXPECT(t, !arch_irq_enabled() && spin_holding(&outer));
    spin_lock(&inner);
    spin_unlock(&inner);
    KEXPECT(t, !arch_irq_enabled()); /* the outer lock is still held */
    spin_unlock(&outer);
    KEXPECT(t, arch_irq_enabled() && !spin_holding(&outer));
    KEXPECT(t, spin_trylock(&outer));
    KEXPECT(t, !spin_trylock(&outer)); /* held, even by this CPU: refused */
    spin_unlock(&outer);
    if (!were_on) {
        arch_irq_disable();
    }
}

static void record_cpu(void *arg)
{
    *(unsigned *)arg = this_cpu()->index + 100;
}

static void calls_reach_every_cpu(struct ktest *t)
{
    if (cpu_count < 2) {
        ktest_skip(t, "one CPU");
        return;
    }
    for (unsigned i = 0; i < cpu_count; i++) {
        unsigned seen = 0;
        uint32_t answered = cpus[i].calls_answered;
        arch_cpu_call(&cpus[i], record_cpu, &seen);
        KEXPECT(t, seen == i + 100);
        KEXPECT(t, cpus[i].calls_answered == answered + (i == this_cpu()->index ? 0 : 1));
    }
}

#define SHOOT_VA 0x05000000u

struct peek {
    struct vm_space *space; /* loaded before reading; NULL: back to the kernel's */
    uint8_t byte;
};

static void peek_there(void *arg)
{
    struct peek *p = arg;
    if (p->space == NULL) {
        vm_activate(NULL);
        return;
    }
    vm_activate(p->space);
    p->byte = *(volatile uint8_t *)SHOOT_VA;
}

static uint32_t filled_frame(uint8_t value)
{
    uint32_t f = frame_alloc_zeroed();
    if (f != 0) {
        memset(phys_to_virt(f), value, PAGE_SIZE);
    }
    return f;
}

/* The other CPU reads a page through its TLB; the mapping changes here; it reads again and
 * must see the new page, which only a shootdown makes it do. */
static void shootdown_reaches_the_other_cpu(struct ktest *t)
{
    if (cpu_count < 2) {
        ktest_skip(t, "one CPU");
        return;
    }
    uint32_t before = frame_free_count();
    struct vm_space space;
    KASSERT(t, vm_create(&space) == 0);
    uint32_t first = filled_frame(0x11);
    uint32_t second = filled_frame(0x22);
    KASSERT(t, first != 0 && second != 0);
    KASSERT(t, vm_map(&space, SHOOT_VA, first, VM_WRITE) == 0);
    struct cpu *other = &cpus[1];
    struct peek peek = { &space, 0 };
    arch_cpu_call(other, peek_there, &peek);
    KEXPECT(t, peek.byte == 0x11);
    KEXPECT(t, other->active_pgdir == space.pgdir_phys);
    KEXPECT(t, vm_unmap(&space, SHOOT_VA) == 0);
    KEXPECT(t, vm_map(&space, SHOOT_VA, second, VM_WRITE) == 0);
    arch_cpu_call(other, peek_there, &peek);
    KEXPECT(t, peek.byte == 0x22);
    peek.space = NULL;
    arch_cpu_call(other, peek_there, &peek);
    vm_destroy(&space);
    KEXPECT(t, frame_free_count() == before);
}

KTEST_SUITE(smp, KTEST_CASE(lock_order_checker_finds_an_inversion),
            KTEST_CASE(spinlocks_nest_interrupts_off), KTEST_CASE(calls_reach_every_cpu),
            KTEST_CASE(shootdown_reaches_the_other_cpu));
