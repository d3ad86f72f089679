/*
 * The terminal helpers, each one ioctl on the descriptor: isatty (TCGETS answers), tcgetattr
 * and tcsetattr (TCGETS, TCSETS), tcgetpgrp and tcsetpgrp (TIOCGPGRP, TIOCSPGRP).
 */
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int isatty(int fd)
{
    struct termios t;
    return ioctl(fd, TCGETS, &t) == 0 ? 1 : 0;
}

int tcgetattr(int fd, struct termios *t)
{
    return ioctl(fd, TCGETS, t);
}

int tcsetattr(int fd, int when, const struct termios *t)
{
    (void)when;
    return ioctl(fd, TCSETS, (void *)t);
}

int tcgetpgrp(int fd)
{
    int pgid;
    if (ioctl(fd, TIOCGPGRP, &pgid) != 0) {
        return -1;
    }
    return pgid;
}

int tcsetpgrp(int fd, int pgid)
{
    return ioctl(fd, TIOCSPGRP, &pgid);
}
