#pragma once
/*
 * The console tty: serial and keyboard input go through one line discipline (cooked mode with
 * echo, backspace, Ctrl-U, Ctrl-C and Ctrl-D, or raw mode), output goes to every console.
 */
#include <stdbool.h>
#include <stdint.h>

/*
 * Reads into the kernel buffer buf (at most n bytes). Cooked: waits for a whole line and returns
 * it (with its '\n'), or 0 for Ctrl-D at the start of a line. Raw: waits for at least one byte.
 * With nonblock, -EAGAIN instead of waiting; -ERESTARTSYS when a signal (Ctrl-C's SIGINT, say)
 * ends the wait.
 */
long tty_read(char *buf, uint32_t n, bool nonblock);

/* Whether a read would return at once (input is there, or an end of file). */
bool tty_readable(void);

void tty_write(const char *buf, uint32_t n);

/* TCGETS, TCSETS, TIOCGWINSZ, TIOCGPGRP, TIOCSPGRP; arg is a user address. */
long tty_ioctl(uint32_t request, uint32_t arg);
