/*
 * The argument makers: one random value of each kind abi/syscall_args.tbl names, most often a
 * value that means something to the call (a descriptor that may be open, a pointer into the
 * arena, a page size), sometimes one that must be refused (a kernel pointer, a huge size), so
 * that both the work and the checks before it are reached. Nothing here points at the fuzzer's
 * own code, stack or data except as a read-only source: a fuzzer that destroys itself finds
 * nothing more.
 */
#include "fuzz.h"

#include <abi/fcntl.h>
#include <abi/mman.h>
#include <abi/signal.h>
#include <string.h>
#include <syscall.h>

#define SCRATCH_PAGE 5u /* the last read-write page: structures built for one call */
#define KERNEL_ADDR  0xc0000000u
#define UNMAPPED     0x50000000u

static const uint32_t set_open[] = { 01,       02,        0100,    0200,     0400,
                                     01000,    02000,     04000,   0200000,  0400000,
                                     02000000, 010000000, 0100000, 020000000 };
static const uint32_t set_wait[] = { 1, 2, 8, 0x20000000, 0x40000000, 0x80000000u };
/* No CLONE_VM or CLONE_VFORK: a child sharing the fuzzer's memory without a stack of its own
 * would run on the parent's (fuzz_worker masks them out again after any random bit). */
static const uint32_t set_clone[] = { 17,      0x200,    0x400,    0x800,     0x8000, 0x10000,
                                      0x80000, 0x100000, 0x200000, 0x1000000, 0x2000 };
static const uint32_t set_mmap[] = { 0x01,   0x02,   0x10,    0x20,    0x100,
                                     0x4000, 0x8000, 0x20000, 0x100000 };
static const uint32_t set_prot[] = { 1, 2, 4, 0x01000000 };
static const uint32_t set_pipe[] = { 04000, 02000000, 040000 };
static const uint32_t set_at[] = { 0x100, 0x200, 0x400, 0x800, 0x1000 };
static const uint32_t set_rename[] = { 1, 2, 4 };
static const uint32_t set_random[] = { 1, 2, 4 };
static const uint32_t set_timer[] = { 1 };
static const uint32_t set_ioctl[] = { 0x5401, 0x5402, 0x5403, 0x5404, 0x540e, 0x540f, 0x5410,
                                      0x5413, 0x5414, 0x541b, 0x5421, 0x5422, 0x5429, 0x80045430 };
static const uint32_t set_fcntl[] = { 0,  1,  2,  3,    4,    5,    6,    7,
                                      12, 13, 14, 1024, 1025, 1030, 1031, 1032 };
static const uint32_t set_sigaction[] = { SA_NOCLDSTOP, SA_NOCLDWAIT, SA_SIGINFO,   SA_ONSTACK,
                                          SA_RESTART,   SA_NODEFER,   SA_RESETHAND, SA_RESTORER };
static const uint32_t set_futex[] = { 0, 1, 3, 4, 5, 9, 10, 128, 129, 131, 137, 138, 256, 265 };

struct value_set {
    const uint32_t *values;
    unsigned count;
};

#define SET(a) { a, sizeof(a) / sizeof(a[0]) }
static const struct value_set sets[SET_COUNT] = {
    [SET_OPEN] = SET(set_open),     [SET_WAIT] = SET(set_wait),
    [SET_CLONE] = SET(set_clone),   [SET_MMAP] = SET(set_mmap),
    [SET_PROT] = SET(set_prot),     [SET_PIPE] = SET(set_pipe),
    [SET_AT] = SET(set_at),         [SET_RENAME] = SET(set_rename),
    [SET_RANDOM] = SET(set_random), [SET_TIMER] = SET(set_timer),
    [SET_IOCTL] = SET(set_ioctl),   [SET_FCNTL] = SET(set_fcntl),
    [SET_FUTEX] = SET(set_futex),   [SET_SIGACTION] = SET(set_sigaction),
};

static const uint32_t interesting[] = {
    0,     1,          2,           3,          4,          7,          8,          16,   63,
    64,    255,        256,         511,        4095,       4096,       4097,       8192, 65535,
    65536, 0x7fffffff, 0x80000000u, 0xfffffffe, 0xffffffff, 0xfffff000, 0xc0000000u
};

/* Names inside the fuzzing directories (a worker's own is its cwd) and read-only /proc files.
 * None climbs out with "..": what the fuzzers create, the supervisor can find and remove. */
static const char *const paths[] = {
    "a",
    "b",
    "c",
    "c/d",
    "c/d/e",
    "./a",
    "c/../b",
    "f",
    "c/f",
    "d",
    "/tmp/fuzz/shared",
    "/tmp/fuzz/shared/x",
    "/tmp/fuzz/shared/y",
    "/tmp/fuzz/shared/y/z",
    "",
    "nope/a",
    "/proc/self/status",
    "/proc/meminfo",
    "/proc/self/maps",
    "/proc/self/fd/3",
    "/proc/self/fd",
    "/proc/uptime",
};

static const char *const programs[] = { "/bin/true", "/bin/false", "/etc/motd", "a", "c" };

static uint8_t *arena(void)
{
    return (uint8_t *)(uintptr_t)ARENA_BASE;
}

void arena_reset(struct rng *r)
{
    syscall_raw(SYS_mmap2, ARENA_BASE, ARENA_PAGES * PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    uint32_t *words = (uint32_t *)arena();
    for (unsigned i = 0; i < (ARENA_RW_PAGES + 1) * PAGE / 4; i++) {
        words[i] = rng_next(r);
    }
    /* A name with no terminator before the inaccessible page: the copy must fault cleanly. */
    memset(arena() + (ARENA_RW_PAGES + 1) * PAGE - 64, 'x', 64);
    syscall_raw(SYS_mprotect, ARENA_BASE + ARENA_RW_PAGES * PAGE, PAGE, PROT_READ, 0, 0, 0);
    syscall_raw(SYS_mprotect, ARENA_BASE + (ARENA_RW_PAGES + 1) * PAGE, PAGE, PROT_NONE, 0, 0, 0);
}

/* Room for n bytes in the scratch page (wrapping: structures of one call are small). */
static uint8_t *scratch(struct fuzz_proc *p, unsigned n)
{
    if (p->scratch + n > PAGE) {
        p->scratch = 0;
    }
    uint8_t *at = arena() + SCRATCH_PAGE * PAGE + p->scratch;
    p->scratch += (n + 3) & ~3u;
    return at;
}

static uint32_t pick(struct rng *r, const uint32_t *values, unsigned n)
{
    return values[rng_below(r, n)];
}

static uint32_t any_int(struct rng *r)
{
    switch (rng_below(r, 4)) {
    case 0:
        return rng_next(r);
    case 1:
        return rng_below(r, 1024);
    default:
        return pick(r, interesting, sizeof(interesting) / sizeof(interesting[0]));
    }
}

/* An address the kernel must refuse to touch for a user, or one nothing is mapped at. */
static uint32_t bad_pointer(struct rng *r)
{
    static const uint32_t bad[] = { 0,
                                    1,
                                    0xfff,
                                    KERNEL_ADDR,
                                    0xc0100000u,
                                    0xfffffffcu,
                                    UNMAPPED,
                                    ARENA_BASE + (ARENA_PAGES - 1) * PAGE,
                                    ARENA_BASE + ARENA_PAGES * PAGE - 2 };
    return pick(r, bad, sizeof(bad) / sizeof(bad[0]));
}

static uint32_t readable(struct fuzz_proc *p)
{
    struct rng *r = &p->rng;
    switch (rng_below(r, 8)) {
    case 0:
        return bad_pointer(r);
    case 1:
        return ARENA_BASE + ARENA_RW_PAGES * PAGE + rng_below(r, PAGE); /* read-only page */
    case 2:
        return (uint32_t)(uintptr_t)&fuzz_arg; /* program text: readable, not writable */
    case 3:
        return ARENA_BASE + ARENA_RW_PAGES * PAGE - 1 - rng_below(r, 16); /* near an edge */
    default:
        return ARENA_BASE + rng_below(r, ARENA_RW_PAGES * PAGE);
    }
}

static uint32_t writable(struct fuzz_proc *p)
{
    struct rng *r = &p->rng;
    switch (rng_below(r, 10)) {
    case 0:
        return bad_pointer(r);
    case 1:
        return ARENA_BASE + ARENA_RW_PAGES * PAGE + rng_below(r, PAGE); /* read-only page */
    case 2:
        return (uint32_t)(uintptr_t)&fuzz_arg; /* program text */
    case 3:
        return ARENA_BASE + ARENA_RW_PAGES * PAGE - 1 - rng_below(r, 64); /* runs into RO */
    default: /* stay below the scratch page: this call's structures live there */
        return ARENA_BASE + (rng_below(r, (SCRATCH_PAGE * PAGE) / 4) * 4);
    }
}

static uint32_t length(struct rng *r)
{
    static const uint32_t sizes[] = { 0,    1,          2,           4,          8,
                                      16,   64,         4095,        4096,       4097,
                                      8192, 0x7fffffff, 0x80000000u, 0xffffffff, 0xfffff000 };
    return rng_below(r, 3) == 0 ? rng_below(r, 3 * PAGE)
                                : pick(r, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

static uint32_t descriptor(struct rng *r)
{
    static const uint32_t odd[] = { 0xffffffff, 0xffffff9c /* AT_FDCWD */, 255, 256, 0x7fffffff,
                                    1000 };
    return rng_below(r, 8) == 0 ? pick(r, odd, sizeof(odd) / sizeof(odd[0])) : rng_below(r, 16);
}

static uint32_t path(struct fuzz_proc *p, const char *const *names, unsigned n)
{
    struct rng *r = &p->rng;
    unsigned which = rng_below(r, n + 3);
    if (which < n) {
        return (uint32_t)(uintptr_t)names[which]; /* the program's rodata: read-only */
    }
    if (which == n) {
        uint8_t *long_name = scratch(p, 400); /* longer than PATH_MAX's last component */
        memset(long_name, 'n', 399);
        long_name[399] = 0;
        return (uint32_t)(uintptr_t)long_name;
    }
    if (which == n + 1) {
        return ARENA_BASE + (ARENA_RW_PAGES + 1) * PAGE - 64; /* no NUL before PROT_NONE */
    }
    return bad_pointer(r);
}

static uint32_t address(struct rng *r)
{
    switch (rng_below(r, 6)) {
    case 0:
        return bad_pointer(r);
    case 1:
        return UNMAPPED + rng_below(r, 64) * PAGE;
    case 2:
        return ARENA_BASE + rng_below(r, ARENA_PAGES * PAGE); /* unaligned, mostly */
    default:
        return ARENA_BASE + rng_below(r, ARENA_PAGES) * PAGE;
    }
}

static uint32_t pid(struct fuzz_proc *p)
{
    struct rng *r = &p->rng;
    unsigned which = rng_below(r, 10);
    if (which < 4 && p->npids > 0) {
        int other = p->pids[rng_below(r, p->npids)];
        return (uint32_t)(which == 0 ? -other : other);
    }
    switch (which) {
    case 4:
        return 0;
    case 5:
        return (uint32_t)-p->self; /* its own group, if it leads one */
    case 6:
        return rng_below(r, 40) == 0 ? 0xffffffff : 30000; /* everyone (not init) or nobody */
    case 7:
        return rng_next(r);
    default:
        return (uint32_t)p->self;
    }
}

static uint32_t timespec(struct fuzz_proc *p)
{
    struct rng *r = &p->rng;
    unsigned which = rng_below(r, 10);
    if (which == 0) {
        return bad_pointer(r);
    }
    if (which == 1) {
        return readable(p); /* random bytes: any time, valid or not */
    }
    uint32_t *ts = (uint32_t *)scratch(p, 16);
    ts[0] = 0;
    ts[1] = rng_below(r, 2000000); /* up to 2 ms */
    ts[2] = ts[3] = 0;             /* a timespec64's high words */
    return (uint32_t)(uintptr_t)ts;
}

static uint32_t iovecs(struct fuzz_proc *p)
{
    struct rng *r = &p->rng;
    if (rng_below(r, 8) == 0) {
        return bad_pointer(r);
    }
    unsigned n = 1 + rng_below(r, 4);
    uint32_t *iov = (uint32_t *)scratch(p, n * 8);
    for (unsigned i = 0; i < n; i++) {
        iov[2 * i] = rng_below(r, 6) == 0 ? bad_pointer(r) : writable(p);
        iov[2 * i + 1] = rng_below(r, 4) == 0 ? length(r) : rng_below(r, 2 * PAGE);
    }
    return (uint32_t)(uintptr_t)iov;
}

static uint32_t pollfds(struct fuzz_proc *p)
{
    struct rng *r = &p->rng;
    if (rng_below(r, 8) == 0) {
        return bad_pointer(r);
    }
    unsigned n = 1 + rng_below(r, 4);
    uint32_t *fds = (uint32_t *)scratch(p, n * 8);
    for (unsigned i = 0; i < n; i++) {
        fds[2 * i] = descriptor(r);
        fds[2 * i + 1] = rng_below(r, 0x10000); /* events; revents 0 */
    }
    return (uint32_t)(uintptr_t)fds;
}

static uint32_t arguments(struct fuzz_proc *p)
{
    struct rng *r = &p->rng;
    if (rng_below(r, 6) == 0) {
        return rng_below(r, 2) ? 0 : bad_pointer(r);
    }
    unsigned n = rng_below(r, 4);
    uint32_t *argv = (uint32_t *)scratch(p, (n + 1) * 4);
    for (unsigned i = 0; i < n; i++) {
        argv[i] = rng_below(r, 8) == 0 ? bad_pointer(r) : (uint32_t)(uintptr_t)"fuzz";
    }
    argv[n] = 0;
    return (uint32_t)(uintptr_t)argv;
}

static uint32_t from_set(struct rng *r, enum fuzz_kind kind, unsigned set);

/* A struct kernel_sigaction: mostly a handler that returns, sometimes one that is not code. */
static uint32_t sigaction(struct fuzz_proc *p)
{
    struct rng *r = &p->rng;
    if (rng_below(r, 8) == 0) {
        return rng_below(r, 2) ? 0 : readable(p);
    }
    static const uint32_t handlers[] = { SIG_DFL, SIG_IGN };
    struct kernel_sigaction *act = (struct kernel_sigaction *)scratch(p, sizeof(*act));
    unsigned which = rng_below(r, 10);
    act->handler = which < 6   ? (uint32_t)(uintptr_t)fuzz_on_signal
                   : which < 9 ? pick(r, handlers, 2)
                               : rng_next(r);
    act->flags = from_set(r, KIND_FLAGS, SET_SIGACTION);
    act->restorer = 0;
    act->mask = (uint64_t)rng_next(r) << 32 | rng_next(r);
    return (uint32_t)(uintptr_t)act;
}

static uint32_t from_set(struct rng *r, enum fuzz_kind kind, unsigned set)
{
    const struct value_set *s = &sets[set < SET_COUNT ? set : SET_NONE];
    if (s->count == 0 || rng_below(r, 16) == 0) {
        return kind == KIND_ONE ? rng_next(r) : 1u << rng_below(r, 32);
    }
    if (kind == KIND_ONE) {
        return pick(r, s->values, s->count);
    }
    uint32_t bits = 0;
    for (unsigned i = 0; i < s->count; i++) {
        if (rng_below(r, 3) == 0) {
            bits |= s->values[i];
        }
    }
    return bits;
}

uint32_t fuzz_arg(struct fuzz_proc *p, struct fuzz_arg a)
{
    struct rng *r = &p->rng;
    switch ((enum fuzz_kind)a.kind) {
    case KIND_INT:
        return any_int(r);
    case KIND_SMALL:
        return rng_below(r, 8) == 0 ? any_int(r) : rng_below(r, 17);
    case KIND_FD:
        return descriptor(r);
    case KIND_DIRFD:
        return rng_below(r, 2) ? 0xffffff9c : descriptor(r);
    case KIND_PATH:
        return path(p, paths, sizeof(paths) / sizeof(paths[0]));
    case KIND_PROG:
        return path(p, programs, sizeof(programs) / sizeof(programs[0]));
    case KIND_IN:
        return readable(p);
    case KIND_OUT:
        return writable(p);
    case KIND_LEN:
        return length(r);
    case KIND_ADDR:
        return address(r);
    case KIND_PID:
        return pid(p);
    case KIND_SIG:
        return rng_below(r, 10) == 0 ? any_int(r) : rng_below(r, 66);
    case KIND_MODE: {
        static const uint32_t types[] = { 0,       0,       0100000, 0040000, 0020000,
                                          0010000, 0140000, 0060000, 0120000 };
        return pick(r, types, sizeof(types) / sizeof(types[0])) | rng_below(r, 010000);
    }
    case KIND_UID: {
        static const uint32_t ids[] = { 0, 1000, 0xffffffff, 65534 };
        return rng_below(r, 5) == 0 ? rng_next(r) : pick(r, ids, sizeof(ids) / sizeof(ids[0]));
    }
    case KIND_TIME:
        return timespec(p);
    case KIND_IOVEC:
        return iovecs(p);
    case KIND_POLLFD:
        return pollfds(p);
    case KIND_ARGV:
        return arguments(p);
    case KIND_ACT:
        return sigaction(p);
    case KIND_FLAGS:
    case KIND_ONE:
        return from_set(r, (enum fuzz_kind)a.kind, a.set);
    }
    return 0;
}

void fuzz_add_pid(struct fuzz_proc *p, int pid)
{
    unsigned capacity = sizeof(p->pids) / sizeof(p->pids[0]);
    if (p->npids < capacity) {
        p->pids[p->npids++] = pid;
    } else {
        p->pids[capacity - 1 - rng_below(&p->rng, 4)] = pid; /* siblings stay first */
    }
}
