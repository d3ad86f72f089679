#pragma once
/*
 * The processors. Each CPU has a struct cpu of its own, reached through this_cpu(): on x86 a
 * segment register (%fs) whose base is the CPU's own entry in cpus[], so one instruction finds
 * it, whichever process runs there. What lives here belongs to a CPU, not to a process: the
 * process it runs, its scheduler context, its time slice, the interrupt-off nesting of its
 * spinlocks and, in DEBUG builds, the locks it holds. docs/smp.md tells the whole story.
 */
#include <stdbool.h>
#include <stdint.h>

#define CPU_MAX      8 /* CPUs started; more in the MADT are listed and left halted */
#define CPU_HELD_MAX 8 /* spinlocks one CPU may hold at once (checked in DEBUG builds) */

struct proc;
struct spinlock;

struct cpu {
    struct cpu *self;           /* first: arch_this_cpu() reads it through the segment */
    unsigned index;             /* 0 is the boot CPU */
    uint32_t arch_id;           /* the local APIC id */
    struct proc *proc;          /* the process it runs; NULL while in its scheduler */
    uint32_t scheduler_context; /* where its scheduler waits (arch_switch) */
    bool preemption_requested;  /* its process gives up the CPU on the way to user mode */
    unsigned slice_left;        /* ticks left of its process's time slice */
    uint64_t idle_ticks;        /* its timer's ticks with nothing to run */
    uint64_t busy_ticks;        /* its timer's ticks with a process running */
    unsigned irq_off_depth;     /* irq_push_off() nesting */
    bool irq_were_on;           /* interrupts were on at the outermost irq_push_off() */
    unsigned big_lock_depth;    /* kernel entries nested on this CPU under the big lock */
    const struct spinlock *held[CPU_HELD_MAX]; /* DEBUG: locks held, in the order taken */
    unsigned held_count;
    volatile bool online;  /* set by the CPU itself once it runs the kernel's code */
    volatile bool idle;    /* waiting for an interrupt, without the big lock */
    uint32_t active_pgdir; /* the address space loaded (physical page directory) */
    /* A call another CPU asked this one to make (arch_cpu_call): set by the caller, cleared by
     * this CPU once made. */
    void (*volatile call_fn)(void *arg);
    void *volatile call_arg;
    uint32_t calls_answered; /* how many, since boot */
};

#include <arch/percpu.h> /* arch_this_cpu() */

extern struct cpu cpus[CPU_MAX];

/* CPUs running the kernel (started and online); cpus[0 .. cpu_count - 1]. */
extern unsigned cpu_count;

/* The CPU this code runs on. A process can move to another CPU whenever it gives up the CPU
 * (sched.c), so the answer is only good until then. */
static inline struct cpu *this_cpu(void)
{
    return arch_this_cpu();
}

/* The process running on this CPU, or NULL in the scheduler. */
#define current (this_cpu()->proc)
