#pragma once
/*
 * The scheduler (sched.c): the run queue, blocking and waking, the time slice, and the figures
 * /proc reports about it.
 */
#include <stdint.h>

struct proc;

/* Runs processes until none is left; returns then (interrupts stay off). */
void sched_run(void);

/* Puts p on the run queue. */
void sched_make_runnable(struct proc *p);

/* Gives the CPU to the next runnable process; returns when this one is chosen again. When no
 * other process is runnable it returns at once, and the caller runs on with a fresh slice. */
void sched_yield_current(void);

/*
 * Blocks the current process until sched_wakeup(channel), or until a signal it does not block
 * arrives (at once, when one is pending), or returns after the process was stopped and
 * continued (job control: jobctl_park). Callers sleep in a loop: each pass re-tests what they
 * wait for first, then signal_pending() (-ERESTARTSYS: the way back to user mode acts on the
 * signal), then sleeps again, so a wakeup that comes with a signal is never lost.
 */
void sched_sleep(const void *channel);

/* Makes every process blocked on channel runnable. */
void sched_wakeup(const void *channel);

/*
 * The IPC fast path: blocks the current process on channel (as sched_sleep) and gives the CPU
 * straight to next, which must be blocked, without the run queue. next inherits what is left
 * of the time slice. With a signal pending, next is only made runnable and this returns.
 */
void sched_handoff(struct proc *next, const void *channel);

/* Wakes p if it is blocked, whatever it waits for. */
void sched_wake_blocked(struct proc *p);

/* Wakes the blocked process p ahead of everyone else and ends the running process's slice:
 * for sleepers whose time has come, so a sleep ends within one tick. */
void sched_wake_first(struct proc *p);

/* This CPU's timer tick: when the running process has used its time slice (20 ms), it is replaced
 * at its next return to user mode. Every tick of an expired slice asks again, so a slice always
 * ends: with N CPU-bound processes runnable, a woken process runs within N+1 slices. */
void sched_tick(void);

/* The clock's tick (on the boot CPU): the load average every 5 s, then sched_tick(). */
void sched_clock_tick(void);

/* The 1-, 5- and 15-minute load averages (Linux's), in hundredths. */
void sched_load_average(uint32_t hundredths[3]);

/* Ticks the CPU spent idle since boot; times the scheduler switched to a process. */
uint64_t sched_idle_ticks(void);
uint32_t sched_switches(void);

/* Switches from p (a zombie, which must not run again) to the scheduler for good. */
_Noreturn void sched_leave_cpu(struct proc *p);
