#pragma once
/*
 * The system calls, one C function each: the prototypes generated from abi/syscalls.tbl
 * (build/gen/libsys/syscalls.h). They return -1 and set errno on failure; __brk returns the
 * raw break. <syscall.h> has syscall_raw for programs that want the kernel's -errno itself.
 * Below them, the POSIX helpers libsys builds on the calls (sleep, execv, isatty, ...).
 */
#include <sys/cdefs.h>
#include <stddef.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

__BEGIN_DECLS
#include <syscalls.h>

/* The environment the program was started with (envp), NULL-terminated. */
extern char **environ;

/*
 * Sleeps for seconds (nanosleep). Returns 0, or the whole seconds left when the sleep was cut
 * short.
 */
unsigned int sleep(unsigned int seconds);
/* Sleeps for usec microseconds (nanosleep). Returns 0, or -1 with errno. */
int usleep(unsigned long usec);

/* execve(path, argv, environ). Returns only on failure: -1 with errno. */
int execv(const char *path, char *const *argv);
/*
 * Runs the program file names: file itself when it contains a '/', otherwise /bin/FILE (Ringlet
 * keeps every program in /bin, so there is no PATH). Returns only on failure: -1 with errno.
 */
int execvp(const char *file, char *const *argv);

/* 1 when fd is a terminal (TCGETS works on it), else 0 with errno (ENOTTY, EBADF). */
int isatty(int fd);
/* The terminal's foreground process group (TIOCGPGRP), or -1 with errno. */
int tcgetpgrp(int fd);
/*
 * Makes pgid the terminal's foreground process group (TIOCSPGRP): Ctrl-C sends SIGINT to its
 * members, except to the caller. Returns 0 or -1 with errno.
 */
int tcsetpgrp(int fd, int pgid);
__END_DECLS
