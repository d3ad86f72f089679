#pragma once
/*
 * The big kernel lock: with more than one CPU running, at most one of them runs kernel code at
 * a time (Linux 2.0's design, the simplest correct SMP kernel). A CPU takes it on every way
 * into the kernel (a system call, an exception, an interrupt) and lets it go on its way back to
 * user mode and while it waits idle; processes on the other CPUs run on in user mode. So the
 * kernel's shared structures keep the single-CPU rules they were written with, and what is
 * really per CPU lives in struct cpu (cpu.h). Finer locks (the heap, the frame allocator) nest
 * inside it, in the order spinlock.h writes down.
 *
 * With one CPU the lock is never taken: nobody else could want it.
 * docs/smp.md explains the choice and what it costs.
 */
#include <stdbool.h>

/* Whether the big lock is in use (more than one CPU was started). */
extern bool big_lock_active;

/* A way into the kernel: takes the lock unless this CPU already holds it (an exception inside
 * the kernel). Returns whether it took it. While spinning the CPU answers TLB shootdowns. */
bool big_lock_enter(void);

/* Lets the lock go when this CPU holds it (on the way back to user mode, from trap_return). */
void big_lock_leave(void);

/* For the scheduler with nothing to run: lets the lock go, waits for an interrupt with the
 * kernel's own page directory loaded, and takes the lock again. */
void big_lock_idle(void);

/* For a process that waits for another CPU's progress with nothing else to run: lets the lock
 * go for a moment so that other CPUs can enter the kernel. */
void big_lock_pause(void);
