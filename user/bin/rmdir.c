/*
 * rmdir DIR...: removes each empty directory. "rmdir: failed to remove 'd': Directory not
 * empty" (coreutils' words, the kernel's errno) and status 1 when one cannot go.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        dprintf(STDERR_FILENO, "usage: rmdir DIR...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (rmdir(argv[i]) != 0) {
            dprintf(STDERR_FILENO, "rmdir: failed to remove '%s': %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
