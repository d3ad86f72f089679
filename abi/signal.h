#pragma once
/* Signals with Linux i386's numbers, flags and structures, and wait statuses. */
#include <stdint.h>

#define SIGHUP       1
#define SIGINT       2
#define SIGQUIT      3
#define SIGILL       4
#define SIGTRAP      5
#define SIGABRT      6
#define SIGBUS       7
#define SIGFPE       8
#define SIGKILL      9
#define SIGUSR1      10
#define SIGSEGV      11
#define SIGUSR2      12
#define SIGPIPE      13
#define SIGALRM      14
#define SIGTERM      15
#define SIGSTKFLT    16
#define SIGCHLD      17
#define SIGCONT      18
#define SIGSTOP      19
#define SIGTSTP      20
#define SIGTTIN      21
#define SIGTTOU      22
#define SIGURG       23
#define SIGXCPU      24
#define SIGXFSZ      25
#define SIGVTALRM    26
#define SIGPROF      27
#define SIGWINCH     28
#define SIGIO        29
#define SIGPWR       30
#define SIGSYS       31
#define SIGRTMIN     32
#define SIGRTMAX     64
#define SIGNAL_COUNT 64 /* Linux's _NSIG: signals 1..64 */

/* rt_sigaction's flags */
#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO   0x00000004u
#define SA_ONSTACK   0x08000000u
#define SA_RESTART   0x10000000u
#define SA_NODEFER   0x40000000u
#define SA_RESETHAND 0x80000000u
#define SA_RESTORER  0x04000000u

#define SIG_DFL 0u
#define SIG_IGN 1u

/* rt_sigprocmask's how */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* siginfo's si_code */
#define SI_USER       0
#define SI_KERNEL     0x80
#define SI_TKILL      (-6)
#define SEGV_MAPERR   1
#define SEGV_ACCERR   2
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_STOPPED   5
#define CLD_CONTINUED 6

/* The struct rt_sigaction reads and writes on i386 (the kernel's struct sigaction): 20 bytes. */
struct kernel_sigaction {
    uint32_t handler; /* SIG_DFL, SIG_IGN or the handler's address */
    uint32_t flags;
    uint32_t restorer; /* with SA_RESTORER: where the handler returns to (calls sigreturn) */
    uint64_t mask;     /* blocked while the handler runs */
} __attribute__((packed));

/* sigaltstack: Linux's stack_t (12 bytes) and its flags */
struct signal_stack {
    uint32_t ss_sp;
    int32_t ss_flags;
    uint32_t ss_size;
};
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM 0x80000000u
#define MINSIGSTKSZ   2048

/* waitpid options */
#define WNOHANG    1
#define WUNTRACED  2 /* report a child that stopped */
#define WCONTINUED 8 /* report a child that a SIGCONT continued */

/* The status waitpid stores: exit code in bits 8-15, or the killing signal in bits 0-6; a
 * stopped child is 0x7f with the stop signal in bits 8-15, a continued one 0xffff. */
#define WIFEXITED(s)      (((s) & 0x7f) == 0)
#define WEXITSTATUS(s)    (((s) >> 8) & 0xff)
#define WIFSIGNALED(s)    (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)       ((s) & 0x7f)
#define WIFSTOPPED(s)     (((s) & 0xff) == 0x7f)
#define WSTOPSIG(s)       WEXITSTATUS(s)
#define WIFCONTINUED(s)   ((s) == 0xffff)
#define WSTATUS_CONTINUED 0xffff
