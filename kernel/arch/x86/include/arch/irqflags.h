#pragma once
/*
 * What the generic spinlocks need of the CPU, inline (spinlock.c runs them on every lock and
 * unlock): the interrupt flag, an atomic swap, and the spin-loop hint. On x86 each is one or
 * two instructions.
 */
#include <stdbool.h>
#include <stdint.h>

/* Whether interrupts are on for this CPU. */
static inline bool arch_irq_enabled(void)
{
    uint32_t flags;
    __asm__ volatile("pushfl; popl %0" : "=r"(flags));
    return (flags & (1u << 9)) != 0;
}

static inline void arch_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

/* Stores v in *p and returns what was there, atomically and as a full memory barrier (xchg
 * with memory locks the bus by itself). */
static inline uint32_t arch_atomic_swap(volatile uint32_t *p, uint32_t v)
{
    __asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

/* Says "spinning" to the CPU, inside a spin loop. */
static inline void arch_cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}
