#pragma once
/*
 * Processes, in the spirit of JOS's envs: a fixed table of slots, each with an id, a parent, a
 * state, a name, an address space, a kernel stack (with a guard page), a saved context, open
 * files and its floating-point state.
 */
#include <cpu.h>
#include <stdbool.h>
#include <stdint.h>

#include <arch.h>
#include <fd.h>
#include <fs.h>
#include <loader.h>
#include <ipc.h>
#include <jobctl.h>
#include <mm.h>
#include <signal.h>
#include <vm.h>

#define PROC_MAX       64
#define PROC_NAME_SIZE 32
#define USER_STACK_TOP 0xc0000000u /* the user stack grows down from the kernel half */

enum proc_state {
    PROC_FREE,
    PROC_RUNNABLE,
    PROC_RUNNING,
    PROC_BLOCKED,
    PROC_ZOMBIE,
};

struct file;

struct proc {
    uint8_t fpu[ARCH_FPU_STATE_SIZE] __attribute__((aligned(ARCH_FPU_STATE_ALIGN)));
    int pid;        /* 0 for a free slot */
    int parent_pid; /* 0: nobody waits for it (started by the kernel) */
    int pgid;       /* process group, for Ctrl-C */
    enum proc_state state;
    uint32_t runs;       /* times the scheduler chose it */
    uint32_t ticks;      /* clock ticks it was running at (utime in /proc) */
    uint64_t start_tick; /* when it was made */
    char name[PROC_NAME_SIZE];
    struct mm *mm;           /* memory, shared by a process's threads */
    struct files *files;     /* descriptors and current directory, shared likewise */
    struct sighand *sighand; /* signal actions, shared likewise */
    int tgid;                /* the thread group: the pid of its first thread (getpid) */
    uint32_t kstack_top;
    uint32_t context;            /* saved kernel context, for arch_switch */
    struct arch_tls tls;         /* thread-local storage segments (set_thread_area) */
    uint32_t clear_child_tid;    /* set_tid_address: zeroed when the process ends */
    uint32_t set_child_tid;      /* clone: the tid is written here when the child first runs */
    int exit_signal;             /* sent to the parent at the end: SIGCHLD, or clone's choice */
    int exit_status;             /* for a zombie: exit code, when killed_by is 0 */
    int killed_by;               /* for a zombie: the signal that killed it, or 0 */
    struct signal_state signals; /* actions, blocked and pending signals (signal.h) */
    struct jobctl jobctl;        /* on a group's first thread: stopped or not (jobctl.h) */
    const void *wait_channel;    /* what a blocked process waits for */
    uint64_t wake_tick;          /* sleeping: the tick to wake at, else 0 */
    bool reading_tty;
    uint64_t alarm_tick;               /* ITIMER_REAL, on the group's first thread: the tick SIGALRM
                                          is due at (0: disarmed); itimer.c */
    uint64_t alarm_interval_us;        /* ITIMER_REAL: the interval, as set (0: one shot) */
    uint64_t cpu_timer_left[2];        /* ITIMER_VIRTUAL, ITIMER_PROF: CPU ticks left (0: off) */
    uint64_t cpu_timer_interval_us[2]; /* ... and their intervals, as set */
    uint32_t futex_addr;               /* futex: the word it waits on (0: not waiting, or woken) */
    uint32_t futex_bitset;             /* futex: which wakes concern it */
    bool group_exiting;                /* another thread ended the group: this one ends with it */
    int group_signal;                  /* ... by this signal (0: exit_group, with exit_status) */
    bool started_by_kernel;    /* by proc_create, not fork: its result is the run's result */
    struct ipc_state ipc;      /* synchronous IPC: its waits and its reply right (ipc.h) */
    struct proc *run_next;     /* run queue */
    struct proc *blocked_next; /* the list of blocked processes */
    struct proc *blocked_prev;
};

/* current, the process running on this CPU (NULL in its scheduler), is in cpu.h. */

/* Reads ustack= and syscalls= from the command line. */
void proc_init(const char *cmdline);

/*
 * Creates a process (parent: the kernel) running the program file f (an ELF executable, or a
 * flat program entered at its first byte) with arguments argv. Returns the new pid, or -1 with
 * a one-line reason in error.
 */
int proc_create(const char *name, const struct program_image *f, const char *const *argv, int argc,
                char *error, uint32_t error_size);

/* A copy of the current process (copy-on-write memory, shared open files). Returns the child's
 * pid in the parent, or -EAGAIN at the process limit, or -ENOMEM. The last free slot is kept
 * for pid 1 (while it lives): any other process gets -EAGAIN one slot earlier. */
int proc_fork(void);

/*
 * The most bytes execve takes in argument and environment strings together with a pointer
 * for each: Linux's rule, a quarter of the stack limit (ustack=), at most 6 MiB.
 */
uint32_t proc_exec_args_limit(void);

/*
 * Replaces the current program with the file f and arguments (kernel copies). The old image is
 * kept when the new one cannot be loaded: returns -ENOEXEC, -ENOMEM or -E2BIG then; 0 after the
 * switch (the system call then returns into the new program).
 */
int proc_exec(const struct program_image *f, const char *const *argv, int argc,
              const char *const *envp, int envc);

/*
 * Waits for a child to end (pid > 0 that one, -1 any, 0 any in the caller's process group,
 * < -1 any in group -pid), reaps it and stores its Linux wait status at
 * user address user_status (unless 0); with WUNTRACED or WCONTINUED in options (jobctl.h), a
 * child that stopped or continued is reported too (not reaped). WNOHANG is nohang: returns its
 * pid, 0 with nohang when none has ended yet,
 * -ECHILD when there is no such child (whatever user_status is), or -EFAULT when user_status is
 * not writable (the child is then left for a later wait, as a zombie).
 */
int proc_wait(int pid, int options, uint32_t user_status);

/* Sends sig (from the kernel: the tty's Ctrl-C) to every process in group pgid except the
 * process except_pid (0: none); pid 1 takes only the signals it has a handler for. */
void proc_signal_group(int pgid, int sig, int except_pid);

/* The process with this pid, or NULL. */
struct proc *proc_find(int pid);

/* Ends the current process with exit code status. Never returns. */
_Noreturn void proc_exit(int status);

/* Kills the current process with signal, printing why (when why is not NULL). Never returns. */
_Noreturn void proc_kill_current(int signal, const char *why);

/* Number of processes that exist (any state but free). */
unsigned proc_count(void);

/* Sends SIGALRM to each process whose ITIMER_REAL has expired by tick now, and reloads or
 * disarms it; charges the tick to the running process's ITIMER_VIRTUAL (when it interrupted
 * user code) and ITIMER_PROF (the timer calls this every tick; itimer.c). */
void itimer_tick(uint64_t now);

/* Wakes sleeping processes whose time has come (the timer calls this every tick). */
void proc_wake_sleepers(uint64_t now);

/* Frees what a finished process still holds (its kernel stack, its slot). */
void proc_reap(struct proc *p);

/* Prints one line per finished process; returns true when every process the kernel itself
 * started (proc_create) exited with status 0. A forked child's status belongs to the parent
 * that waits for it, so it is listed but does not count. */
bool proc_print_summary(void);

/* The slot table, for the process list (ringlet_procs). */
const struct proc *proc_table(void);

/* Processes made since boot (forks, threads and the kernel's); the last pid given out. */
unsigned proc_forks(void);
int proc_last_pid(void);

/* Whether a live process is in process group pgid. */
bool proc_group_exists(int pgid);

/*
 * A new thread of the current process (clone with CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|
 * CLONE_THREAD): it shares the memory, descriptors and signal actions, returns 0 from the
 * system call on stack with thread-local storage tls. Returns its tid, -EAGAIN or -ENOMEM.
 */
int proc_thread(uint32_t stack, const struct arch_tls *tls);

/* Makes every other thread of the current process end as soon as it would run: with exit
 * code exit_status (exit_group, exec) or, when signal is not 0, killed by it. */
void proc_kill_other_threads(int exit_status, int signal);

/* Wakes up to n threads of mm waiting (futex) on the word at user address addr; returns how
 * many it woke (futex.c). */
int futex_wake_address(struct mm *mm, uint32_t addr, int n);

/* Whether a thread of p's process other than p is still alive (not a zombie). */
bool proc_group_alive(const struct proc *p);
