/*
 * futex(2): the one kernel service threads need to wait for each other. A waiter checks that
 * the word at its address still holds the value it expects and sleeps with its key (the
 * memory it shares, the address) and a bitset in its process slot; a waker marks up to n
 * waiters with the same key woken and makes them runnable. Private and shared futexes are the
 * same here: memory is shared only by threads (CLONE_VM). Linux's operations and errno:
 * FUTEX_WAIT (relative timeout), FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE,
 * FUTEX_WAIT_BITSET (absolute timeout, CLOCK_MONOTONIC or CLOCK_REALTIME), FUTEX_WAKE_BITSET.
 */
#include <clock.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/time.h>

#define FUTEX_WAIT             0
#define FUTEX_WAKE             1
#define FUTEX_REQUEUE          3
#define FUTEX_CMP_REQUEUE      4
#define FUTEX_WAIT_BITSET      9
#define FUTEX_WAKE_BITSET      10
#define FUTEX_PRIVATE_FLAG     128
#define FUTEX_CLOCK_REALTIME   256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

static const int futex_queue; /* what every futex waiter sleeps on */

/* Calls fn on each thread waiting on (mm, addr) with a bitset meeting bitset, up to n of them;
 * returns how many. */
static int each_waiter(struct mm *mm, uint32_t addr, uint32_t bitset, int n,
                       void (*fn)(struct proc *t, uint32_t arg), uint32_t arg)
{
    int done = 0;
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX && done < n; i++) {
        struct proc *t = (struct proc *)&table[i];
        if (t->state == PROC_BLOCKED && t->wait_channel == &futex_queue && t->mm == mm &&
            t->futex_addr == addr && (t->futex_bitset & bitset)) {
            fn(t, arg);
            done++;
        }
    }
    return done;
}

static void wake(struct proc *t, uint32_t unused)
{
    (void)unused;
    t->futex_addr = 0; /* woken: its wait returns 0 */
    sched_make_runnable(t);
}

static void move(struct proc *t, uint32_t addr2)
{
    t->futex_addr = addr2;
}

int futex_wake_address(struct mm *mm, uint32_t addr, int n)
{
    return each_waiter(mm, addr, FUTEX_BITSET_MATCH_ANY, n, wake, 0);
}

/* Sleeps on addr until woken, the deadline tick (0: none) or a signal. */
static long wait_on(uint32_t addr, uint32_t expected, uint32_t bitset, uint64_t deadline)
{
    struct proc *p = current;
    uint32_t value;
    if ((addr & 3) != 0) {
        return -EINVAL;
    }
    if (copy_from_user(&value, addr, sizeof(value)) != 0) {
        return -EFAULT;
    }
    if (value != expected) {
        return -EAGAIN;
    }
    p->futex_addr = addr;
    p->futex_bitset = bitset;
    for (;;) {
        if (p->futex_addr == 0) {
            return 0; /* a wake chose it */
        }
        if (deadline && clock_ticks() >= deadline) {
            p->futex_addr = 0;
            return -ETIMEDOUT;
        }
        if (signal_pending(p)) {
            p->futex_addr = 0;
            return -EINTR;
        }
        p->wake_tick = deadline;
        sched_sleep(&futex_queue);
        p->wake_tick = 0;
    }
}

/* The deadline tick for a timeout at user address user_ts (0: none): relative for FUTEX_WAIT,
 * an absolute time on the futex's clock for FUTEX_WAIT_BITSET. Returns 0 or an errno. */
static long deadline_of(uint32_t user_ts, bool time64, bool absolute, bool realtime,
                        uint64_t *deadline)
{
    *deadline = 0;
    if (user_ts == 0) {
        return 0;
    }
    int64_t ns;
    long err = clock_timespec_from_user(user_ts, time64, &ns);
    if (err != 0) {
        return err;
    }
    if (absolute) {
        int64_t now = (int64_t)clock_monotonic_ns() +
                      (realtime ? (int64_t)clock_boot_realtime() * 1000000000 : 0);
        ns = ns > now ? ns - now : 0;
    }
    *deadline = clock_ticks() + ((uint64_t)ns + NS_PER_TICK - 1) / NS_PER_TICK + 1;
    return 0;
}

static long futex(uint32_t addr, int op, uint32_t val, uint32_t timeout_or_val2, uint32_t addr2,
                  uint32_t val3, bool time64)
{
    int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    bool realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
    if (realtime && cmd != FUTEX_WAIT_BITSET) {
        return -ENOSYS; /* Linux's answer for FUTEX_CLOCK_REALTIME with other operations */
    }
    struct mm *mm = current->mm;
    uint64_t deadline;
    long err;
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        uint32_t bitset = cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3;
        if (bitset == 0) {
            return -EINVAL;
        }
        err = deadline_of(timeout_or_val2, time64, cmd == FUTEX_WAIT_BITSET, realtime, &deadline);
        return err ? err : wait_on(addr, val, bitset, deadline);
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
        uint32_t bitset = cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3;
        if (bitset == 0) {
            return -EINVAL;
        }
        return each_waiter(mm, addr, bitset, (int)(val > 0x7fffffffu ? 0x7fffffff : val), wake, 0);
    }
    case FUTEX_CMP_REQUEUE:
    case FUTEX_REQUEUE: {
        if ((int32_t)val < 0 || (int32_t)timeout_or_val2 < 0 || addr2 == 0 || (addr2 & 3)) {
            return -EINVAL;
        }
        if (!user_range_ok(addr2, sizeof(uint32_t))) {
            return -EFAULT;
        }
        if (cmd == FUTEX_CMP_REQUEUE) {
            uint32_t value;
            if (copy_from_user(&value, addr, sizeof(value)) != 0) {
                return -EFAULT;
            }
            if (value != val3) {
                return -EAGAIN;
            }
        }
        int woken = each_waiter(mm, addr, FUTEX_BITSET_MATCH_ANY, (int)val, wake, 0);
        int moved =
            each_waiter(mm, addr, FUTEX_BITSET_MATCH_ANY, (int)timeout_or_val2, move, addr2);
        return woken + moved;
    }
    default:
        return -ENOSYS;
    }
}

long sys_futex(uint32_t addr, int op, uint32_t val, uint32_t timeout, uint32_t addr2, uint32_t val3)
{
    return futex(addr, op, val, timeout, addr2, val3, false);
}

long sys_futex_time64(uint32_t addr, int op, uint32_t val, uint32_t timeout, uint32_t addr2,
                      uint32_t val3)
{
    return futex(addr, op, val, timeout, addr2, val3, true);
}
