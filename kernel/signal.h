#pragma once
/*
 * Signals, Linux's way: each process has an action per signal (default, ignore, or a handler
 * with flags and a mask), a set of blocked signals and a set of pending ones. Sending marks a
 * signal pending (or drops it when it would be ignored); a sleeping process it concerns wakes,
 * and its system call ends with -ERESTARTSYS. On every return to user mode the lowest pending,
 * unblocked signal is acted on: ignored, the process ended, or a frame pushed on its stack so
 * the handler runs, returning through sigreturn (arch/x86/sigframe.c). docs/signals.md.
 */
#include <stdbool.h>
#include <stdint.h>

#include <abi/signal.h>

#define SIGBIT(sig) (1ull << ((sig) - 1))

/* Internal to the kernel, never seen by a program: the sleeping system call was interrupted by
 * a signal; on the way out it becomes -EINTR, or the call starts again (SA_RESTART, or when no
 * handler ran). Linux's value. */
#define ERESTARTSYS 512

/* What a handler learns from siginfo: who sent the signal, or where the fault was. */
struct signal_info {
    int code;      /* SI_USER, SI_TKILL, SI_KERNEL, SEGV_MAPERR, CLD_EXITED, ... */
    int pid;       /* the sender (kill) or the child (SIGCHLD) */
    int status;    /* SIGCHLD: the exit code or the signal */
    uint32_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE: the address */
};

/* The actions, shared by the threads of a process (CLONE_SIGHAND); refcounted. */
struct sighand {
    unsigned refs;
    struct kernel_sigaction actions[SIGNAL_COUNT];
};

/* A copy of from (or, when from is NULL, all defaults) with one reference; NULL without memory. */
struct sighand *sighand_copy(const struct sighand *from);

/* Drops a reference; the last frees it. */
void sighand_put(struct sighand *h);

#define SIGNAL_QUEUE_MAX 32 /* real-time signals queued per thread behind the pending ones */

/* A real-time signal sent again while one is pending: Linux queues each with its siginfo. */
struct queued_signal {
    int sig;
    struct signal_info info;
};

/* Per thread: what it blocks, what is pending for it, its alternate stack. */
struct signal_state {
    uint64_t blocked;
    uint64_t pending;
    uint64_t shared; /* of pending: sent to the whole process, so another thread of it that
                        takes the signal may have it instead (Linux's shared pending set) */
    struct signal_info info[SIGNAL_COUNT]; /* for each pending signal (standard signals do
                                              not queue: one of each at a time) */
    struct signal_stack altstack;          /* sigaltstack; ss_size 0: none */
    uint64_t waiting;       /* rt_sigtimedwait: the signals it waits for (they wake it, blocked or
                               not, and a process-directed one may pick this thread) */
    uint64_t saved_blocked; /* rt_sigsuspend: the mask to give back once a handler ran */
    bool restore_saved;
    struct queued_signal queue[SIGNAL_QUEUE_MAX]; /* sigqueue.c: in the order sent */
    unsigned queued;
    bool stop_pending; /* job control: stop at the next return to user mode or sleep */
    bool stopped;      /* job control: parked until SIGCONT (only SIGKILL is pending then) */
};

struct proc;

/*
 * Makes sig (1..64) pending for p with info, waking p if it sleeps and the signal concerns it.
 * Drops the signal when p would ignore it and does not block it, and drops every signal to
 * pid 1 that has no handler there and is not blocked (SIGKILL and SIGSTOP always), as Linux
 * does for init (a blocked one waits for sigwait; delivered, its default action is skipped).
 */
void signal_send(struct proc *p, int sig, const struct signal_info *info);

/*
 * Sends sig to process tgid (kill, the tty, SIGCHLD, timers): pending on the thread
 * signal_group_target picks, and marked as the process's, so that a thread that unblocks sig or
 * waits for it in sigwait later takes it from a thread that blocks it. Nothing when no thread
 * of tgid lives.
 */
void signal_send_process(int tgid, int sig, const struct signal_info *info);

/*
 * Moves to p the lowest signal of wanted that is pending for the whole process on another of
 * its threads which blocks it (and does not wait for it). Returns whether one moved.
 */
bool signal_take_shared(struct proc *p, uint64_t wanted);

/* The thread of process tgid a process-directed signal sig goes to: the first thread unless it
 * blocks sig (or has ended), else one that does not block it, else any live one; NULL when
 * none lives. */
struct proc *signal_group_target(int tgid, int sig);

/* Whether p has a pending signal it does not block: a sleep must end for it. */
bool signal_pending(const struct proc *p);

/*
 * Acts on the current process's pending signals on its way back to user mode: fixes up an
 * interrupted system call's result, then ignores, ends the process (never returning), or sets
 * up one handler's frame. Called on every return to user mode.
 */
void signal_return_to_user(void);

/*
 * A fault the fault path could not resolve, as signal sig: delivered to the process's handler
 * when it has one that is not blocked; otherwise ends the process, printing why. Returns only
 * when a handler will run.
 */
void signal_fault(int sig, const struct signal_info *info, const char *why);

/*
 * The pending set's real-time queue (sigqueue.c). signal_queue_add queues sig (>= SIGRTMIN,
 * already pending for s) with info behind the pending one: false when the queue is full (the
 * signal is lost, where Linux's sigqueue would say EAGAIN). signal_dequeue takes pending sig
 * off s and returns its siginfo; a queued one of the same signal becomes pending in its place.
 * signal_discard drops sig and everything queued of it.
 */
bool signal_queue_add(struct signal_state *s, int sig, const struct signal_info *info);
struct signal_info signal_dequeue(struct signal_state *s, int sig);
void signal_discard(struct signal_state *s, int sig);

/* Sets the current process's blocked signals (SIGKILL and SIGSTOP never are). */
void signal_set_blocked(uint64_t blocked);

/* New actions for a new program (exec): handlers are gone, ignored signals stay ignored; the
 * alternate stack is gone. The caller has made p's actions its own (not shared) first. */
void signal_exec(struct proc *p);
