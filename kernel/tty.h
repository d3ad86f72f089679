#pragma once
/*
 * The console tty: serial and keyboard input go through one line discipline (cooked mode with
 * echo, backspace, Ctrl-U, Ctrl-C and Ctrl-D, or raw mode), output goes to every console.
 */
#include <stdint.h>

/* A character arrived (from an interrupt handler). */
void tty_receive(char c);

/*
 * Reads into the kernel buffer buf (at most n bytes). Cooked: waits for a whole line and returns
 * it (with its '\n'), or 0 for Ctrl-D at the start of a line. Raw: waits for at least one byte.
 * Returns -EINTR when Ctrl-C discards the line it waits for.
 */
long tty_read(char *buf, uint32_t n);

void tty_write(const char *buf, uint32_t n);

/* TCGETS, TCSETS, TIOCGWINSZ, TIOCGPGRP, TIOCSPGRP; arg is a user address. */
long tty_ioctl(uint32_t request, uint32_t arg);
