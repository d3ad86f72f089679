/*
 * Console input and output: file descriptors 0, 1 and 2 are the console.
 */
#include <arch.h>
#include <errno.h>
#include <proc.h>
#include <uaccess.h>

#define CHUNK 256u

static bool fd_ok(int fd)
{
    return fd >= 0 && fd < PROC_FDS && current->fd_open[fd];
}

long sys_write(int fd, uint32_t buf, uint32_t count)
{
    if (!fd_ok(fd)) {
        return -EBADF;
    }
    if (count > 0x7fffffffu || !vm_user_range_ok(&current->space, buf, count, false)) {
        return -EFAULT;
    }
    char chunk[CHUNK];
    for (uint32_t done = 0; done < count;) {
        uint32_t n = count - done < CHUNK ? count - done : CHUNK;
        if (copy_from_user(&current->space, chunk, buf + done, n) != 0) {
            return done ? (long)done : -EFAULT;
        }
        arch_console_write(chunk, n);
        done += n;
    }
    return (long)count;
}

/* Waits for one byte of console input, letting other processes run meanwhile. */
static char wait_for_byte(void)
{
    for (;;) {
        int c = arch_console_read_byte();
        if (c >= 0) {
            return c == '\r' ? '\n' : (char)c;
        }
        sched_yield_current();
    }
}

/* Reads at least one byte and at most count, stopping after a newline. */
long sys_read(int fd, uint32_t buf, uint32_t count)
{
    if (!fd_ok(fd)) {
        return -EBADF;
    }
    if (count > 0x7fffffffu || vm_prepare_user_write(&current->space, buf, count) != 0 ||
        !vm_user_range_ok(&current->space, buf, count, true)) {
        return -EFAULT;
    }
    if (count == 0) {
        return 0;
    }
    char chunk[CHUNK];
    uint32_t n = 0;
    while (n < count && n < CHUNK) {
        chunk[n] = wait_for_byte();
        if (chunk[n++] == '\n') {
            break;
        }
    }
    if (copy_to_user(&current->space, buf, chunk, n) != 0) {
        return -EFAULT;
    }
    return (long)n;
}

long sys_close(int fd)
{
    if (!fd_ok(fd)) {
        return -EBADF;
    }
    current->fd_open[fd] = false;
    return 0;
}
