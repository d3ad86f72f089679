/*
 * touch FILE...: makes each file that does not exist (empty, mode 0666 less the umask) and sets
 * the access and modification times of each to now (utimensat with no times, as coreutils).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        dprintf(STDERR_FILENO, "usage: touch FILE...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY, 0666);
        if (fd < 0 && errno != EISDIR) {
            dprintf(STDERR_FILENO, "touch: cannot touch '%s': %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (fd >= 0) {
            close(fd);
        }
        if (utimensat(AT_FDCWD, argv[i], NULL, 0) != 0) {
            dprintf(STDERR_FILENO, "touch: setting times of '%s': %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
