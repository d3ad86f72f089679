/*
 * cat [FILE...]: copies each file (or stdin, when there is none or for "-") to stdout.
 * A file that cannot be opened gets "cat: PATH: No such file or directory" (or whatever the
 * error is) on stderr, and cat goes on with the next; the exit status is then 1. When stdout is
 * a pipe whose reader has gone (EPIPE), cat stops quietly with status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_SIZE 4096

static char buffer[BUFFER_SIZE];

/* Copies fd to stdout. Returns false after an error (reported unless it was EPIPE). */
static bool copy(int fd, const char *name)
{
    for (;;) {
        long n = read(fd, buffer, sizeof(buffer));
        if (n == 0) {
            return true;
        }
        if (n < 0) {
            dprintf(STDERR_FILENO, "cat: %s: %s\n", name, strerror(errno));
            return false;
        }
        for (long done = 0; done < n;) {
            long written = write(STDOUT_FILENO, buffer + done, (unsigned long)(n - done));
            if (written <= 0) {
                if (errno != EPIPE) {
                    dprintf(STDERR_FILENO, "cat: write: %s\n", strerror(errno));
                }
                return false;
            }
            done += written;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc == 1) {
        return copy(STDIN_FILENO, "stdin") ? 0 : 1;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) {
            if (!copy(STDIN_FILENO, "stdin")) {
                status = 1;
            }
            continue;
        }
        int fd = open(argv[i], O_RDONLY, 0);
        if (fd < 0) {
            dprintf(STDERR_FILENO, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        bool ok = copy(fd, argv[i]);
        close(fd);
        if (!ok) {
            if (errno == EPIPE) {
                return 1;
            }
            status = 1;
        }
    }
    return status;
}
