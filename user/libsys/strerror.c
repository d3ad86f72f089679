/*
 * Messages for error numbers and signals, worded as glibc's, and perror. Only the numbers
 * abi/errno.h and abi/signal.h define have a message; others get "Unknown error N".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct message {
    int number;
    const char *text;
};

static const struct message error_messages[] = {
    { EPERM, "Operation not permitted" },
    { ENOENT, "No such file or directory" },
    { ESRCH, "No such process" },
    { EINTR, "Interrupted system call" },
    { EIO, "Input/output error" },
    { E2BIG, "Argument list too long" },
    { ENXIO, "No such device or address" },
    { ENOEXEC, "Exec format error" },
    { EBADF, "Bad file descriptor" },
    { ECHILD, "No child processes" },
    { EAGAIN, "Resource temporarily unavailable" },
    { ENOMEM, "Cannot allocate memory" },
    { EACCES, "Permission denied" },
    { EFAULT, "Bad address" },
    { ENOTBLK, "Block device required" },
    { EBUSY, "Device or resource busy" },
    { EEXIST, "File exists" },
    { EXDEV, "Invalid cross-device link" },
    { ENODEV, "No such device" },
    { ENOTDIR, "Not a directory" },
    { EISDIR, "Is a directory" },
    { EINVAL, "Invalid argument" },
    { ENFILE, "Too many open files in system" },
    { EMFILE, "Too many open files" },
    { ENOTTY, "Inappropriate ioctl for device" },
    { ETXTBSY, "Text file busy" },
    { EFBIG, "File too large" },
    { ENOSPC, "No space left on device" },
    { ESPIPE, "Illegal seek" },
    { EROFS, "Read-only file system" },
    { EMLINK, "Too many links" },
    { EPIPE, "Broken pipe" },
    { ERANGE, "Numerical result out of range" },
    { ENAMETOOLONG, "File name too long" },
    { ENOSYS, "Function not implemented" },
    { ENOTEMPTY, "Directory not empty" },
    { ELOOP, "Too many levels of symbolic links" },
    { EOVERFLOW, "Value too large for defined data type" },
    { EMSGSIZE, "Message too long" },
    { EOPNOTSUPP, "Operation not supported" },
    { ETIMEDOUT, "Connection timed out" },
};

static const struct message signal_messages[] = {
    { SIGINT, "Interrupt" },
    { SIGILL, "Illegal instruction" },
    { SIGTRAP, "Trace/breakpoint trap" },
    { SIGFPE, "Floating point exception" },
    { SIGKILL, "Killed" },
    { SIGSEGV, "Segmentation fault" },
    { SIGPIPE, "Broken pipe" },
    { SIGTERM, "Terminated" },
};

/* The text for number in table, or "<unknown> number" formatted into buffer. */
static char *look_up(const struct message *table, size_t count, int number, const char *unknown,
                     char *buffer, size_t size)
{
    for (size_t i = 0; i < count; i++) {
        if (table[i].number == number) {
            return (char *)table[i].text;
        }
    }
    snprintf(buffer, size, "%s %d", unknown, number);
    return buffer;
}

char *strerror(int e)
{
    static char unknown[32];
    return look_up(error_messages, sizeof(error_messages) / sizeof(error_messages[0]), e,
                   "Unknown error", unknown, sizeof(unknown));
}

char *strsignal(int sig)
{
    static char unknown[32];
    return look_up(signal_messages, sizeof(signal_messages) / sizeof(signal_messages[0]), sig,
                   "Unknown signal", unknown, sizeof(unknown));
}

void perror(const char *s)
{
    const char *message = strerror(errno);
    if (s != NULL && *s != '\0') {
        dprintf(STDERR_FILENO, "%s: %s\n", s, message);
    } else {
        dprintf(STDERR_FILENO, "%s\n", message);
    }
}
