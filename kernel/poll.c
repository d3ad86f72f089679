#include <poll.h>

#include <clock.h>
#include <fd.h>
#include <heap.h>
#include <lib/string.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/time.h>

static const int poll_channel; /* what pollers sleep on */

void poll_notify(void)
{
    sched_wakeup(&poll_channel);
}

/* Fills every entry's revents; returns how many have any. */
static int scan(struct pollfd *fds, uint32_t n)
{
    int ready = 0;
    for (uint32_t i = 0; i < n; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0) {
            continue; /* ignored, as in Linux */
        }
        struct file *f = fd_file(fds[i].fd);
        unsigned mask = f ? file_poll(f) : POLLNVAL;
        /* POLLHUP, POLLERR and POLLNVAL are reported whether asked for or not. */
        fds[i].revents = (int16_t)(mask & ((uint16_t)fds[i].events | POLLHUP | POLLERR | POLLNVAL));
        ready += fds[i].revents != 0;
    }
    return ready;
}

/* The tick a timeout of ms milliseconds from now ends at; 0 when ms < 0 (no timeout). */
static uint64_t deadline_after(int64_t ms)
{
    if (ms < 0) {
        return 0;
    }
    return clock_ticks() + ((uint64_t)ms * CLOCK_HZ + 999) / 1000 + 1;
}

/*
 * Waits until ready() says something is ready, the deadline tick passes (0: never), or a
 * signal arrives. Returns ready()'s count, 0 on timeout, or -EINTR.
 */
static long wait_ready(long (*ready)(void *ctx), void *ctx, bool no_wait, uint64_t deadline)
{
    for (;;) {
        long n = ready(ctx);
        if (n != 0 || no_wait || (deadline && clock_ticks() >= deadline)) {
            return n;
        }
        if (signal_pending(current)) {
            return -EINTR;
        }
        current->wake_tick = deadline; /* 0: no timeout, only a notify wakes it */
        sched_sleep(&poll_channel);
        current->wake_tick = 0;
    }
}

struct poll_set {
    struct pollfd *fds;
    uint32_t n;
};

static long poll_ready(void *ctx)
{
    struct poll_set *set = ctx;
    return scan(set->fds, set->n);
}

/*
 * Linux's poll: fills revents of nfds entries at user_fds, waiting up to timeout_ms (negative:
 * for ever; 0: not at all) for one to have something. Returns how many have, 0 on timeout,
 * -EINVAL for more entries than descriptors, -EFAULT, -ENOMEM, or -EINTR for a signal.
 */
long sys_poll(uint32_t user_fds, uint32_t nfds, int timeout_ms)
{
    if (nfds > PROC_FDS) {
        return -EINVAL;
    }
    struct pollfd *fds = kmalloc(nfds ? nfds * sizeof(*fds) : 1);
    if (fds == NULL) {
        return -ENOMEM;
    }
    if (copy_from_user(fds, user_fds, nfds * sizeof(*fds)) != 0) {
        kfree(fds);
        return -EFAULT;
    }
    struct poll_set set = { fds, nfds };
    long result = wait_ready(poll_ready, &set, timeout_ms == 0, deadline_after(timeout_ms));
    if (result >= 0 && copy_to_user(user_fds, fds, nfds * sizeof(*fds)) != 0) {
        result = -EFAULT;
    }
    kfree(fds);
    return result;
}

/* ---- select: three bitmaps of descriptors (fd_set, 32-bit words) ---- */

#define SELECT_WORDS (PROC_FDS / 32)

struct select_sets {
    uint32_t nfds;
    uint32_t in[3][SELECT_WORDS];  /* asked: read, write, exceptional */
    uint32_t out[3][SELECT_WORDS]; /* found */
};

static long select_ready(void *ctx)
{
    struct select_sets *s = ctx;
    static const unsigned wants[3] = { POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI };
    long count = 0;
    for (uint32_t fd = 0; fd < s->nfds; fd++) {
        uint32_t word = fd / 32;
        uint32_t bit = 1u << (fd % 32);
        if (!((s->in[0][word] | s->in[1][word] | s->in[2][word]) & bit)) {
            continue;
        }
        struct file *f = fd_file((int)fd);
        unsigned mask = f ? file_poll(f) : 0;
        for (int k = 0; k < 3; k++) {
            if ((s->in[k][word] & bit) && (mask & wants[k])) {
                s->out[k][word] |= bit;
                count++;
            }
        }
    }
    return count;
}

/*
 * The common part of select and pselect6: nfds bits of the three user sets (each may be 0),
 * waiting up to timeout_ms (negative: for ever). Returns the number of bits set in the answer,
 * which replaces the sets; -EBADF for a descriptor in a set that is not open, -EINVAL for nfds.
 */
static long do_select(int nfds, const uint32_t user_sets[3], int64_t timeout_ms)
{
    if (nfds < 0) {
        return -EINVAL;
    }
    if (nfds > PROC_FDS) {
        nfds = PROC_FDS; /* Linux clamps to the table; bits past it cannot be open */
    }
    struct select_sets *s = kmalloc(sizeof(*s));
    if (s == NULL) {
        return -ENOMEM;
    }
    memset(s, 0, sizeof(*s));
    s->nfds = (uint32_t)nfds;
    uint32_t bytes = ((uint32_t)nfds + 31) / 32 * 4;
    long result = 0;
    for (int k = 0; k < 3 && result == 0; k++) {
        if (user_sets[k] && copy_from_user(s->in[k], user_sets[k], bytes) != 0) {
            result = -EFAULT;
        }
    }
    for (uint32_t fd = 0; fd < s->nfds && result == 0; fd++) {
        uint32_t bit = 1u << (fd % 32);
        uint32_t any = s->in[0][fd / 32] | s->in[1][fd / 32] | s->in[2][fd / 32];
        if ((any & bit) && fd_file((int)fd) == NULL) {
            result = -EBADF;
        }
    }
    if (result == 0) {
        result = wait_ready(select_ready, s, timeout_ms == 0, deadline_after(timeout_ms));
    }
    for (int k = 0; k < 3 && result >= 0; k++) {
        if (user_sets[k] && copy_to_user(user_sets[k], s->out[k], bytes) != 0) {
            result = -EFAULT;
        }
    }
    kfree(s);
    return result;
}

struct timeval32 {
    int32_t tv_sec;
    int32_t tv_usec;
};

/* Linux's _newselect (142): the timeout is a struct timeval, written back with what is left. */
long sys_newselect(int nfds, uint32_t rfds, uint32_t wfds, uint32_t efds, uint32_t user_tv)
{
    int64_t ms = -1;
    struct timeval32 tv;
    if (user_tv) {
        if (copy_from_user(&tv, user_tv, sizeof(tv)) != 0) {
            return -EFAULT;
        }
        if (tv.tv_sec < 0 || tv.tv_usec < 0) {
            return -EINVAL;
        }
        ms = (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
    }
    uint64_t start = clock_ticks();
    const uint32_t sets[3] = { rfds, wfds, efds };
    long result = do_select(nfds, sets, ms);
    if (user_tv && result >= 0) {
        int64_t spent = (int64_t)(clock_ticks() - start) * (1000 / CLOCK_HZ);
        int64_t left = ms > spent ? ms - spent : 0;
        struct timeval32 rest = { (int32_t)(left / 1000), (int32_t)(left % 1000) * 1000 };
        (void)copy_to_user(user_tv, &rest, sizeof(rest)); /* Linux ignores a failure here too */
    }
    return result;
}

/* pselect6's sixth argument: where the mask is, and its size. */
struct pselect_mask {
    uint32_t set;
    uint32_t size;
};

/* pselect6 and pselect6_time64: a timespec (32- or 64-bit) and a mask in force while waiting. */
static long pselect(int nfds, const uint32_t sets[3], int64_t ms, uint32_t user_mask)
{
    uint64_t saved = current->signals.blocked;
    bool masked = false;
    if (user_mask) {
        struct pselect_mask m;
        uint64_t mask;
        if (copy_from_user(&m, user_mask, sizeof(m)) != 0) {
            return -EFAULT;
        }
        if (m.set) {
            if (m.size != sizeof(mask)) {
                return -EINVAL;
            }
            if (copy_from_user(&mask, m.set, sizeof(mask)) != 0) {
                return -EFAULT;
            }
            signal_set_blocked(mask);
            masked = true;
        }
    }
    long result = do_select(nfds, sets, ms);
    if (masked) {
        if (result == -EINTR) {
            /* The handler runs with the pselect mask; its sigreturn gives back the old one. */
            current->signals.saved_blocked = saved;
            current->signals.restore_saved = true;
        } else {
            signal_set_blocked(saved);
        }
    }
    return result;
}

/* A timespec's milliseconds (rounded up) in *ms; -EINVAL for a negative or malformed one. */
static long timespec_ms(int64_t sec, int64_t nsec, int64_t *ms)
{
    if (sec < 0 || nsec < 0 || nsec >= 1000000000) {
        return -EINVAL;
    }
    *ms = sec * 1000 + (nsec + 999999) / 1000000;
    return 0;
}

/* pselect6's timeout at user_ts (0: none) in milliseconds: a 32- or 64-bit timespec. */
static long timeout_of(uint32_t user_ts, bool time64, int64_t *ms)
{
    *ms = -1;
    if (user_ts == 0) {
        return 0;
    }
    if (time64) {
        struct timespec64 ts;
        if (copy_from_user(&ts, user_ts, sizeof(ts)) != 0) {
            return -EFAULT;
        }
        return timespec_ms(ts.tv_sec, ts.tv_nsec, ms);
    }
    struct timespec ts;
    if (copy_from_user(&ts, user_ts, sizeof(ts)) != 0) {
        return -EFAULT;
    }
    return timespec_ms(ts.tv_sec, ts.tv_nsec, ms);
}

long sys_pselect6(int nfds, uint32_t rfds, uint32_t wfds, uint32_t efds, uint32_t user_ts,
                  uint32_t user_mask)
{
    int64_t ms;
    long err = timeout_of(user_ts, false, &ms);
    const uint32_t sets[3] = { rfds, wfds, efds };
    return err ? err : pselect(nfds, sets, ms, user_mask);
}

long sys_pselect6_time64(int nfds, uint32_t rfds, uint32_t wfds, uint32_t efds, uint32_t user_ts,
                         uint32_t user_mask)
{
    int64_t ms;
    long err = timeout_of(user_ts, true, &ms);
    const uint32_t sets[3] = { rfds, wfds, efds };
    return err ? err : pselect(nfds, sets, ms, user_mask);
}
