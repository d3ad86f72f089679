/*
 * head [-n N | -N] [FILE...]: the first N lines (10 unless given) of each file, or of stdin.
 * With several files each gets a "==> NAME <==" header, as in coreutils. head reads only as
 * much as it needs and exits as soon as it has written N lines: that is what ends `yes | head`
 * (yes's next write then fails with EPIPE).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_SIZE 4096

static char buffer[BUFFER_SIZE];

static bool write_all(const char *p, size_t n)
{
    while (n > 0) {
        long written = write(STDOUT_FILENO, p, n);
        if (written <= 0) {
            return false;
        }
        p += written;
        n -= (size_t)written;
    }
    return true;
}

/* Copies the first lines lines of fd to stdout. False on an error (reported). */
static bool head(int fd, const char *name, long lines)
{
    while (lines > 0) {
        long n = read(fd, buffer, sizeof(buffer));
        if (n == 0) {
            return true;
        }
        if (n < 0) {
            dprintf(STDERR_FILENO, "head: %s: %s\n", name, strerror(errno));
            return false;
        }
        long end = 0;
        while (end < n && lines > 0) {
            if (buffer[end++] == '\n') {
                lines--;
            }
        }
        if (!write_all(buffer, (size_t)end)) {
            if (errno != EPIPE) {
                dprintf(STDERR_FILENO, "head: write: %s\n", strerror(errno));
            }
            return false;
        }
    }
    return true;
}

/* Parses a line count; -1 when text is not a non-negative number. */
static long parse_count(const char *text)
{
    char *end;
    long n = strtol(text, &end, 10);
    return end != text && *end == '\0' && n >= 0 ? n : -1;
}

int main(int argc, char **argv)
{
    long lines = 10;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        lines = parse_count(argv[2]);
        first = 3;
    } else if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
        lines = parse_count(argv[1] + (argv[1][1] == 'n' ? 2 : 1));
        first = 2;
    }
    if (lines < 0) {
        dprintf(STDERR_FILENO, "usage: head [-n N] [FILE...]\n");
        return 2;
    }
    if (first == argc) {
        return head(STDIN_FILENO, "stdin", lines) ? 0 : 1;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        int fd = strcmp(argv[i], "-") == 0 ? STDIN_FILENO : open(argv[i], O_RDONLY, 0);
        if (fd < 0) {
            dprintf(STDERR_FILENO, "head: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (argc - first > 1) {
            printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
        }
        if (!head(fd, argv[i], lines)) {
            status = 1;
        }
        if (fd != STDIN_FILENO) {
            close(fd);
        }
    }
    return status;
}
