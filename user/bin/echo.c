/*
 * echo [-n] [ARG...]: writes the arguments separated by single spaces, then a newline (none
 * with -n), in one write(). No escapes are interpreted.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int first = 1;
    bool newline = true;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = false;
        first = 2;
    }
    size_t length = 1;
    for (int i = first; i < argc; i++) {
        length += strlen(argv[i]) + 1;
    }
    char *text = malloc(length);
    if (text == NULL) {
        dprintf(STDERR_FILENO, "echo: out of memory\n");
        return 1;
    }
    size_t used = 0;
    for (int i = first; i < argc; i++) {
        if (i > first) {
            text[used++] = ' ';
        }
        size_t n = strlen(argv[i]);
        memcpy(text + used, argv[i], n);
        used += n;
    }
    if (newline) {
        text[used++] = '\n';
    }
    for (size_t done = 0; done < used;) {
        long n = write(STDOUT_FILENO, text + done, used - done);
        if (n <= 0) {
            return 1;
        }
        done += (size_t)n;
    }
    return 0;
}
