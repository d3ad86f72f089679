#pragma once
/* The terminal interface of ioctl(2) (call 54), with Linux i386's numbers and layout. */
#include <stdint.h>

#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403 /* TCSETS after output drains (it always has here) */
#define TCSETSF    0x5404 /* TCSETSW, and typed-ahead input is dropped */
#define TCFLSH     0x540b
#define TIOCSCTTY  0x540e
#define TIOCGPGRP  0x540f /* the foreground process group */
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define FIONREAD   0x541b /* bytes ready to read */

/* c_lflag bits */
#define ISIG   0x0001 /* Ctrl-C terminates the foreground process */
#define ICANON 0x0002 /* cooked: line editing, read returns whole lines */
#define ECHO   0x0008 /* typed characters are shown */

#define NCCS 19

struct termios {
    uint32_t c_iflag;
    uint32_t c_oflag;
    uint32_t c_cflag;
    uint32_t c_lflag;
    uint8_t c_line;
    uint8_t c_cc[NCCS];
};

struct winsize {
    uint16_t ws_row;
    uint16_t ws_col;
    uint16_t ws_xpixel;
    uint16_t ws_ypixel;
};
