/*
 * A fuzzing worker: a process that issues typed random system calls from the generated table,
 * each argument made by fuzz_arg, from a seed, so the same seed and worker index issue the same
 * calls with the same arguments (pids and descriptor numbers that depend on timing aside). It
 * reports its progress to the supervisor every few calls through REPORT_FD. A fork or clone
 * that succeeds makes a short-lived child that goes on fuzzing with calls only a child may
 * make (exit, execve, sigreturn), then ends.
 */
#include "fuzz.h"

#include <abi/fcntl.h>
#include <abi/signal.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#define REPORT_EVERY    4u
#define CHILD_CALLS     24u
#define ARENA_RESET     512u               /* calls between fresh arenas */
#define CLONE_FORBIDDEN (0x100u | 0x4000u) /* CLONE_VM, CLONE_VFORK: see args.c */

static volatile unsigned handled; /* signals the handlers saw; read by nobody, kept by all */

void fuzz_on_signal(int sig)
{
    handled += (unsigned)sig;
}

static void handle(int sig, uint32_t flags)
{
    struct kernel_sigaction act = { .handler = (uint32_t)(uintptr_t)fuzz_on_signal,
                                    .flags = flags };
    syscall_raw(SYS_rt_sigaction, sig, (long)&act, 0, 8, 0, 0);
}

/* Every worker takes SIGUSR1 (the supervisor's nudge out of a long wait); odd ones more. */
static void install_handlers(unsigned index)
{
    handle(SIGUSR1, 0);
    if (index % 2 == 1) {
        static const int more[] = { SIGUSR2, SIGCHLD, SIGPIPE, SIGALRM, SIGTERM, SIGHUP, SIGURG };
        for (unsigned i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
            handle(more[i], i % 3 == 0 ? SA_RESTART : i % 3 == 1 ? SA_NODEFER : 0);
        }
    }
}

static void report(unsigned index, unsigned calls)
{
    struct fuzz_report r = { index, calls };
    syscall_raw(SYS_write, REPORT_FD, (long)&r, sizeof(r), 0, 0, 0);
}

static void trace_call(unsigned index, unsigned n, const struct fuzz_call *c, const uint32_t *a)
{
    char line[160];
    int len = snprintf(line, sizeof(line), "fuzz %u.%u: %s(%x, %x, %x, %x, %x, %x)\n", index, n,
                       c->name, a[0], a[1], a[2], a[3], a[4], a[5]);
    syscall_raw(SYS_write, TRACE_FD, (long)line, len, 0, 0, 0);
}

static bool changes_memory(int number)
{
    return number == SYS_munmap || number == SYS_mprotect || number == SYS_mmap2 ||
           number == SYS_madvise || number == SYS_brk;
}

static const struct fuzz_call *choose(struct fuzz_proc *p, bool child)
{
    for (;;) {
        const struct fuzz_call *c = &fuzz_call_table[rng_below(&p->rng, fuzz_call_count)];
        if (c->who == WHO_ANY || child) {
            return c;
        }
    }
}

void fuzz_worker(uint64_t seed, unsigned index, unsigned quota, const int *siblings,
                 unsigned nsiblings, bool trace)
{
    struct fuzz_proc p = { .self = (int)syscall_raw(SYS_getpid, 0, 0, 0, 0, 0, 0) };
    rng_seed(&p.rng, seed, index);
    for (unsigned i = 0; i < nsiblings && i < 8; i++) {
        fuzz_add_pid(&p, siblings[i]);
    }
    syscall_raw(SYS_setpgid, 0, 0, 0, 0, 0, 0); /* its own group: the supervisor ends it whole */
    install_handlers(index);
    /* Random writes to the console would bury the log, and random terminal settings would
     * change it for everyone: 0, 1 and 2 go to /dev/null. */
    int null = (int)syscall_raw(SYS_open, (long)"/dev/null", O_RDWR, 0, 0, 0, 0);
    syscall_raw(SYS_dup2, null, 0, 0, 0, 0, 0);
    syscall_raw(SYS_dup2, null, 1, 0, 0, 0, 0);
    syscall_raw(SYS_dup2, null, 2, 0, 0, 0, 0);
    if (null > 2) {
        syscall_raw(SYS_close, null, 0, 0, 0, 0, 0);
    }
    bool child = false;
    unsigned reported = 0;
    for (unsigned n = 0; n < quota; n++) {
        if (n % ARENA_RESET == 0) {
            arena_reset(&p.rng);
        }
        const struct fuzz_call *c = choose(&p, child);
        uint32_t a[6] = { 0 };
        p.scratch = 0;
        for (unsigned k = 0; k < c->nargs; k++) {
            a[k] = fuzz_arg(&p, c->args[k]);
        }
        if (c->number == SYS_clone) {
            a[0] &= ~CLONE_FORBIDDEN;
        }
        if (trace) {
            trace_call(index, n, c, a);
        }
        long r = syscall_raw(c->number, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (changes_memory(c->number)) {
            arena_reset(&p.rng); /* it may have unmapped the arena our own writes go to */
        }
        if (c->number == SYS_vfork && r == 0) {
            syscall_raw(SYS_exit, 0, 0, 0, 0, 0, 0); /* a vfork child owns no stack of its own */
        }
        bool forked = c->number == SYS_fork || c->number == SYS_clone;
        if (forked && r == 0) {
            child = true; /* a fresh process: a few calls more, then it ends */
            rng_seed(&p.rng, p.rng.state, 0xc41d); /* not its parent's next calls */
            p.self = (int)syscall_raw(SYS_getpid, 0, 0, 0, 0, 0, 0);
            p.npids = nsiblings < 8 ? nsiblings : 8; /* its parent's children are not its own */
            quota = n + 1 + CHILD_CALLS < quota ? n + 1 + CHILD_CALLS : quota;
            reported = n + 1;
            continue;
        }
        if ((forked || c->number == SYS_vfork) && r > 0) {
            fuzz_add_pid(&p, (int)r);
        }
        if (n + 1 - reported >= REPORT_EVERY) {
            report(index, n + 1 - reported);
            reported = n + 1;
        }
    }
    report(index, quota - reported);
    syscall_raw(SYS_exit, 0, 0, 0, 0, 0, 0);
    __builtin_unreachable();
}
