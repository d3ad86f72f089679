/*
 * Waiting for a signal without a handler: rt_sigtimedwait (177) and rt_sigtimedwait_time64
 * (421), what sigwait, sigwaitinfo and sigtimedwait are made of. Linux's do_sigtimedwait: the
 * lowest pending signal of the set is taken (as if delivered, but no handler runs) and its
 * number returned with its siginfo; otherwise the caller sleeps until one of the set arrives
 * (-> that signal), another signal it does not block arrives (-> -EINTR, and that one is acted
 * on as usual), or the timeout passes (-> -EAGAIN; a zero timeout only polls). SIGKILL and
 * SIGSTOP are never taken this way.
 *
 * While it sleeps, the set wakes it even when blocked (signal_state.waiting), and a signal sent
 * to the whole process may choose this thread, as Linux's temporary unblocking makes it.
 * Blocked signals stay pending meanwhile even when their action ignores them, so sigwait for a
 * blocked SIGCHLD works as on Linux.
 */
#include <clock.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/signal.h>
#include <abi/time.h>

#define UNTAKEABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* Takes the lowest signal of set pending for p; writes its siginfo to user_info (unless 0).
 * Returns the signal, 0 when none is pending, or -EFAULT (the signal is taken anyway, as in
 * Linux, where the siginfo is copied after the dequeue). */
static long take_signal(struct proc *p, uint64_t set, uint32_t user_info)
{
    if ((p->signals.pending & set) == 0) {
        signal_take_shared(p, set); /* one sent to the process, parked on a thread blocking it */
    }
    uint64_t ready = p->signals.pending & set;
    if (ready == 0) {
        return 0;
    }
    int sig = __builtin_ctzll(ready) + 1;
    struct signal_info info = signal_dequeue(&p->signals, sig);
    if (user_info && arch_siginfo_to_user(user_info, sig, &info) != 0) {
        return -EFAULT;
    }
    return sig;
}

/* The wait itself; timeout_ns < 0 means none. */
static long timed_wait(uint64_t set, uint32_t user_info, int64_t timeout_ns)
{
    struct proc *p = current;
    set &= ~UNTAKEABLE;
    long sig = take_signal(p, set, user_info);
    if (sig != 0 || timeout_ns == 0) {
        return sig != 0 ? sig : -EAGAIN;
    }
    uint64_t wake = 0;
    if (timeout_ns > 0) {
        /* +1: the tick in progress is partly over, and the wait must last at least this. */
        wake = clock_ticks() + ((uint64_t)timeout_ns + NS_PER_TICK - 1) / NS_PER_TICK + 1;
    }
    long result = -EAGAIN;
    for (;;) {
        if ((sig = take_signal(p, set, user_info)) != 0) {
            result = sig;
            break;
        }
        if (signal_pending(p)) {
            result = -EINTR; /* another signal: it is acted on on the way out (no restart) */
            break;
        }
        if (wake && clock_ticks() >= wake) {
            break;
        }
        p->signals.waiting = set;
        p->wake_tick = wake;
        sched_sleep(&p->signals.waiting);
        p->wake_tick = 0;
        p->signals.waiting = 0;
    }
    return result;
}

/* The set, then the timeout (32- or 64-bit): Linux's order of -EINVAL and -EFAULT. */
static long sigtimedwait_common(uint32_t user_set, uint32_t user_info, uint32_t user_ts,
                                uint32_t setsize, bool time64)
{
    if (setsize != sizeof(uint64_t)) {
        return -EINVAL;
    }
    uint64_t set;
    if (copy_from_user(&set, user_set, sizeof(set)) != 0) {
        return -EFAULT;
    }
    int64_t timeout_ns = -1;
    if (user_ts) {
        long err = clock_timespec_from_user(user_ts, time64, &timeout_ns);
        if (err != 0) {
            return err;
        }
    }
    return timed_wait(set, user_info, timeout_ns);
}

/* rt_sigtimedwait with a 32-bit struct timespec timeout (or none): the signal taken, or
 * -EINVAL, -EFAULT, -EAGAIN (timeout), -EINTR (another signal). */
long sys_rt_sigtimedwait(uint32_t user_set, uint32_t user_info, uint32_t user_ts, uint32_t setsize)
{
    return sigtimedwait_common(user_set, user_info, user_ts, setsize, false);
}

/* The same with a struct timespec64 timeout (musl and glibc on new kernels). */
long sys_rt_sigtimedwait_time64(uint32_t user_set, uint32_t user_info, uint32_t user_ts,
                                uint32_t setsize)
{
    return sigtimedwait_common(user_set, user_info, user_ts, setsize, true);
}
