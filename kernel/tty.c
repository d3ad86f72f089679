/*
 * The line discipline. Completed input waits in a ring buffer; in cooked mode a line enters it
 * only when Enter (or Ctrl-D) ends it, so a reader gets whole lines. Ctrl-C, Ctrl-\ and Ctrl-Z
 * (with ISIG) discard the line being typed and send SIGINT, SIGQUIT and SIGTSTP to the
 * foreground process group; a reader the signal reaches returns through the signal (sh's
 * handler makes its read fail with EINTR). A reader outside the foreground group gets SIGTTIN,
 * and a process there that changes the terminal SIGTTOU.
 */
#include <sched.h>
#include <tty.h>

#include <bootstat.h>

#include <arch.h>
#include <poll.h>
#include <proc.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/signal.h>
#include <abi/termios.h>

#define INPUT_SIZE 1024
#define LINE_SIZE  256

static char input[INPUT_SIZE]; /* completed input, ring buffer */
static uint32_t input_head;    /* next byte to read */
static uint32_t input_count;
static unsigned eof_pending; /* Ctrl-D at the start of a line: a read returning 0 */
static char line[LINE_SIZE]; /* the line being edited (cooked mode) */
static uint32_t line_length;
static struct termios mode = { .c_lflag = ISIG | ICANON | ECHO };
static int foreground_pgid; /* 0: nobody claimed the terminal */

static void echo(const char *text, uint32_t n)
{
    if (mode.c_lflag & ECHO) {
        arch_console_write(text, n);
    }
}

static void push_input(const char *text, uint32_t n)
{
    for (uint32_t i = 0; i < n && input_count < INPUT_SIZE; i++) {
        input[(input_head + input_count++) % INPUT_SIZE] = text[i];
    }
    sched_wakeup(input);
    poll_notify();
}

void tty_receive(char c)
{
    if (c == '\r') {
        c = '\n';
    }
    int sig = c == 3 ? SIGINT : c == 0x1c ? SIGQUIT : c == 0x1a ? SIGTSTP : 0;
    if ((mode.c_lflag & ISIG) && sig) { /* Ctrl-C, Ctrl-\, Ctrl-Z */
        static const char *const shown[] = { [SIGINT] = "^C\n",
                                             [SIGQUIT] = "^\\\n",
                                             [SIGTSTP] = "^Z\n" };
        echo(shown[sig], 3);
        line_length = 0;
        if (foreground_pgid) {
            proc_signal_group(foreground_pgid, sig, 0);
        }
        return;
    }
    if (!(mode.c_lflag & ICANON)) {
        echo(&c, 1);
        push_input(&c, 1);
        return;
    }
    switch (c) {
    case '\b':
    case 0x7f: /* backspace or delete: erase one character */
        if (line_length > 0) {
            line_length--;
            echo("\b \b", 3);
        }
        return;
    case 0x15: /* Ctrl-U: erase the line */
        while (line_length > 0) {
            line_length--;
            echo("\b \b", 3);
        }
        return;
    case 0x04: /* Ctrl-D: end of file at the start of a line, else send the line as it is */
        if (line_length == 0) {
            eof_pending++;
            sched_wakeup(input);
            poll_notify();
        } else {
            push_input(line, line_length);
            line_length = 0;
        }
        return;
    case '\n':
        echo("\n", 1);
        line[line_length++] = '\n';
        push_input(line, line_length);
        line_length = 0;
        return;
    default:
        if ((unsigned char)c < 0x20 && c != '\t') {
            return; /* other control characters are dropped */
        }
        if (line_length < LINE_SIZE - 1) {
            line[line_length++] = c;
            echo(&c, 1);
        }
        return;
    }
}

static uint32_t take(char *buf, uint32_t n, int stop_at_newline)
{
    uint32_t got = 0;
    while (got < n && input_count > 0) {
        char c = input[input_head];
        input_head = (input_head + 1) % INPUT_SIZE;
        input_count--;
        buf[got++] = c;
        if (stop_at_newline && c == '\n') {
            break;
        }
    }
    return got;
}

/*
 * Linux's job-control check (tty_check_change, and its reader's twin): a process outside the
 * terminal's foreground group (once a group has claimed it) that reads (sig SIGTTIN) or
 * changes the terminal (SIGTTOU) gets sig for its group, and the call starts again once it is
 * continued. A process that ignores or blocks sig may change the terminal, not read it (-EIO);
 * an orphaned group gets -EIO. 0 lets the call go on.
 */
static long background_check(int sig)
{
    struct proc *p = current;
    if (foreground_pgid == 0 || p->pgid == foreground_pgid || !proc_group_exists(foreground_pgid)) {
        return 0;
    }
    uint32_t handler = p->sighand->actions[sig - 1].handler;
    if (handler == SIG_IGN || (p->signals.blocked & SIGBIT(sig))) {
        return sig == SIGTTOU ? 0 : -EIO;
    }
    if (jobctl_group_orphaned(p->pgid)) {
        return -EIO;
    }
    proc_signal_group(p->pgid, sig, 0);
    return -ERESTARTSYS;
}

long tty_read(char *buf, uint32_t n, bool nonblock)
{
    bootstat_terminal_read();
    long err = background_check(SIGTTIN);
    if (err != 0) {
        return err;
    }
    for (;;) {
        if (input_count > 0) {
            return (long)take(buf, n, mode.c_lflag & ICANON);
        }
        if (eof_pending) {
            eof_pending--;
            return 0;
        }
        if (nonblock) {
            return -EAGAIN;
        }
        if (signal_pending(current)) {
            return -ERESTARTSYS; /* only once nothing has arrived: data wins over a signal */
        }
        current->reading_tty = true;
        sched_sleep(input);
        current->reading_tty = false;
    }
}

bool tty_readable(void)
{
    bootstat_terminal_read(); /* a shell that polls before it reads (pselect6) is waiting too */
    return input_count > 0 || eof_pending > 0;
}

void tty_write(const char *buf, uint32_t n)
{
    arch_console_write(buf, n);
}

long tty_ioctl(uint32_t request, uint32_t arg)
{
    bool changes = request == TCSETS || request == TCSETSW || request == TCSETSF ||
                   request == TCFLSH || request == TIOCSPGRP;
    long err = changes ? background_check(SIGTTOU) : 0;
    if (err != 0) {
        return err;
    }
    switch (request) {
    case TCGETS:
        return copy_to_user(arg, &mode, sizeof(mode));
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        struct termios wanted;
        if (copy_from_user(&wanted, arg, sizeof(wanted)) != 0) {
            return -EFAULT;
        }
        if (request == TCSETSF) {
            input_count = 0;
            line_length = 0;
        }
        if ((mode.c_lflag & ICANON) && !(wanted.c_lflag & ICANON) && line_length > 0) {
            push_input(line, line_length); /* a half-typed line becomes raw input */
            line_length = 0;
        }
        mode = wanted;
        return 0;
    }
    case TIOCGWINSZ: {
        struct winsize size = { .ws_row = 25, .ws_col = 80 };
        return copy_to_user(arg, &size, sizeof(size));
    }
    case TIOCGPGRP: {
        /* Ringlet has no sessions: while nobody has claimed the terminal (or the group that
         * did is gone), the asker's own group is in front, as a login shell's is on Linux. */
        int pgid =
            foreground_pgid && proc_group_exists(foreground_pgid) ? foreground_pgid : current->pgid;
        return copy_to_user(arg, &pgid, sizeof(pgid));
    }
    case TCFLSH:
        if (arg == 0 || arg == 2) { /* TCIFLUSH, TCIOFLUSH: drop what was typed ahead */
            input_count = 0;
        }
        return arg <= 2 ? 0 : -EINVAL;
    case TIOCSCTTY:
        return 0; /* the console is everyone's controlling terminal already */
    case FIONREAD: {
        int ready = (int)input_count;
        return copy_to_user(arg, &ready, sizeof(ready));
    }
    case TIOCSPGRP: {
        int pgid;
        if (copy_from_user(&pgid, arg, sizeof(pgid)) != 0) {
            return -EFAULT;
        }
        if (pgid < 0) {
            return -EINVAL;
        }
        foreground_pgid = pgid;
        return 0;
    }
    default:
        return -ENOTTY;
    }
}
