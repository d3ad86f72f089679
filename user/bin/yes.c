/*
 * yes [STRING...]: writes "y" (or the arguments joined by spaces) and a newline, forever.
 * Output goes out in blocks of whole lines. It ends only when a write fails: quietly with
 * status 0 on EPIPE (the reader went away, as in `yes | head`; Ringlet sends no SIGPIPE, the
 * write returns EPIPE), with a message and status 1 on any other error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_SIZE 1024

int main(int argc, char **argv)
{
    size_t line_length = 2;
    for (int i = 1; i < argc; i++) {
        line_length += strlen(argv[i]) + 1;
    }
    /* As many copies of the line as fit in a block, at least one. */
    size_t copies = line_length < BLOCK_SIZE ? BLOCK_SIZE / line_length : 1;
    char *block = malloc(line_length * copies);
    if (block == NULL) {
        dprintf(STDERR_FILENO, "yes: out of memory\n");
        return 1;
    }
    size_t used = 0;
    if (argc == 1) {
        block[used++] = 'y';
    }
    for (int i = 1; i < argc; i++) {
        if (i > 1) {
            block[used++] = ' ';
        }
        size_t n = strlen(argv[i]);
        memcpy(block + used, argv[i], n);
        used += n;
    }
    block[used++] = '\n';
    for (size_t i = 1; i < copies; i++) {
        memcpy(block + i * used, block, used);
    }
    size_t block_length = used * copies;

    for (;;) {
        for (size_t done = 0; done < block_length;) {
            long n = write(STDOUT_FILENO, block + done, block_length - done);
            if (n <= 0) {
                if (n < 0 && errno == EPIPE) {
                    return 0;
                }
                dprintf(STDERR_FILENO, "yes: write: %s\n", strerror(errno));
                return 1;
            }
            done += (size_t)n;
        }
    }
}
