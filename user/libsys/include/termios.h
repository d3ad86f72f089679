#pragma once
/*
 * The terminal interface: struct termios, the c_lflag bits and the ioctl numbers are
 * abi/termios.h; tcgetattr and tcsetattr are ioctl(TCGETS/TCSETS) on the console.
 */
#include <sys/cdefs.h>
#include <abi/termios.h>

/* tcsetattr's when: Ringlet applies a change at once, so the three are the same. */
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2

__BEGIN_DECLS
/* Stores the terminal's mode in *t. Returns 0, or -1 (errno ENOTTY when fd is not a tty). */
int tcgetattr(int fd, struct termios *t);
/* Sets the terminal's mode from *t (when is ignored). Returns 0 or -1 with errno. */
int tcsetattr(int fd, int when, const struct termios *t);
__END_DECLS
