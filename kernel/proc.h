#pragma once
/*
 * Processes, in the spirit of JOS's envs: a fixed table of slots, each with an id, a parent, a
 * state, a name, an address space, a kernel stack (with a guard page) and a saved context.
 */
#include <stdbool.h>
#include <stdint.h>

#include <vm.h>

#define PROC_MAX       64
#define PROC_NAME_SIZE 32
#define PROC_FDS       16
#define USER_STACK_TOP 0xc0000000u /* the user stack grows down from the kernel half */

enum proc_state {
    PROC_FREE,
    PROC_RUNNABLE,
    PROC_RUNNING,
    PROC_BLOCKED,
    PROC_ZOMBIE,
};

struct proc {
    int pid;                      /* 0 for a free slot */
    int parent_pid;               /* 0: started by the kernel */
    enum proc_state state;
    uint32_t runs;                /* times the scheduler chose it */
    char name[PROC_NAME_SIZE];
    struct vm_space space;
    uint32_t kstack_top;
    uint32_t context;             /* saved kernel context, for arch_switch */
    uint32_t brk_start;           /* the heap: [brk_start, brk) */
    uint32_t brk;
    uint32_t stack_limit;         /* lowest address the stack may grow to */
    bool fd_open[PROC_FDS];       /* 0, 1, 2: the console */
    int exit_status;              /* exit code, when killed_by is 0 */
    int killed_by;                /* the signal that killed it, or 0 */
    struct proc *run_next;        /* run queue */
};

/* The process running on the CPU, or NULL in the scheduler. */
extern struct proc *current;

/* Reads ustack= from the command line and routes user faults here. */
void proc_init(const char *cmdline);

/*
 * Creates a process from the program file data (an ELF executable, or with flat set a flat
 * binary entered at its first byte; flat_phys, when not 0, is the page-aligned physical address
 * of data, whose frames are then mapped copy-on-write instead of copied). argv are its
 * arguments. Returns the new pid, or -1 with a one-line reason in error.
 */
int proc_create(const char *name, const uint8_t *data, uint32_t size, bool flat,
                uint32_t flat_phys, const char *const *argv, int argc, char *error,
                uint32_t error_size);

/* Ends the current process with exit code status. Never returns. */
_Noreturn void proc_exit(int status);

/* Kills the current process with signal, printing why. Never returns. */
_Noreturn void proc_kill_current(int signal, const char *why);

/* Number of processes that exist (any state but free). */
unsigned proc_count(void);

/* Runs processes until none is left; returns then (interrupts stay off). */
void sched_run(void);

/* Gives the CPU to the next runnable process; returns when this one is chosen again. */
void sched_yield_current(void);

/* Puts p on the run queue. */
void sched_make_runnable(struct proc *p);

/* Switches from p (which must not run again: a zombie) to the scheduler for good. */
_Noreturn void sched_leave_cpu(struct proc *p);

/* Frees what a finished process still holds (its kernel stack, its slot). */
void proc_reap(struct proc *p);

/* What happened to the processes that ran: for the init=none summary. */
struct proc_record {
    int pid;
    char name[PROC_NAME_SIZE];
    int exit_status;
    int killed_by;
};

/* Prints one line per finished process; returns true when every one exited with status 0. */
bool proc_print_summary(void);
