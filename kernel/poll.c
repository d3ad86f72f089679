#include <poll.h>

#include <clock.h>
#include <errno.h>
#include <fd.h>
#include <heap.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>

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
        fds[i].revents = (int16_t)(mask & ((uint16_t)fds[i].events | POLLHUP | POLLERR |
                                           POLLNVAL));
        ready += fds[i].revents != 0;
    }
    return ready;
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
    long result;
    if (copy_from_user(fds, user_fds, nfds * sizeof(*fds)) != 0) {
        kfree(fds);
        return -EFAULT;
    }
    uint64_t deadline = 0;
    if (timeout_ms > 0) {
        deadline = clock_ticks() + ((uint64_t)timeout_ms * CLOCK_HZ + 999) / 1000 + 1;
    }
    for (;;) {
        result = scan(fds, nfds);
        if (result > 0 || timeout_ms == 0 || (deadline && clock_ticks() >= deadline)) {
            break;
        }
        if (signal_pending(current)) {
            result = -EINTR;
            break;
        }
        current->wake_tick = deadline; /* 0: no timeout, only a notify wakes it */
        sched_sleep(&poll_channel);
        current->wake_tick = 0;
    }
    if (result >= 0 && copy_to_user(user_fds, fds, nfds * sizeof(*fds)) != 0) {
        result = -EFAULT;
    }
    kfree(fds);
    return result;
}
