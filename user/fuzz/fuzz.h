#pragma once
/*
 * The system-call fuzzer's parts (user/tests/syscall_fuzz.c is the program): a seeded random
 * number generator, the arena of memory the arguments point into, the argument makers for
 * each kind of abi/syscall_args.tbl, and the worker that issues typed random calls.
 */
#include <stdbool.h>
#include <stdint.h>

/* Argument kinds and value sets: the names abi/syscall_args.tbl uses, in upper case. */
enum fuzz_kind {
    KIND_INT,
    KIND_SMALL,
    KIND_FD,
    KIND_DIRFD,
    KIND_PATH,
    KIND_IN,
    KIND_OUT,
    KIND_LEN,
    KIND_ADDR,
    KIND_PID,
    KIND_SIG,
    KIND_MODE,
    KIND_UID,
    KIND_TIME,
    KIND_IOVEC,
    KIND_POLLFD,
    KIND_ARGV,
    KIND_PROG,
    KIND_ACT,
    KIND_FLAGS,
    KIND_ONE,
};

enum fuzz_set {
    SET_NONE,
    SET_OPEN,
    SET_WAIT,
    SET_CLONE,
    SET_MMAP,
    SET_PROT,
    SET_PIPE,
    SET_AT,
    SET_RENAME,
    SET_RANDOM,
    SET_TIMER,
    SET_IOCTL,
    SET_FCNTL,
    SET_FUTEX,
    SET_SIGACTION,
    SET_COUNT,
};

enum fuzz_who { WHO_ANY, WHO_CHILD };

struct fuzz_arg {
    uint8_t kind; /* enum fuzz_kind */
    uint8_t set;  /* enum fuzz_set, for KIND_FLAGS and KIND_ONE */
};

struct fuzz_call {
    int number;
    const char *name;
    uint8_t who; /* enum fuzz_who */
    uint8_t nargs;
    struct fuzz_arg args[6];
};

/* The generated table of every call the fuzzer may issue (fuzzgen.py). */
extern const struct fuzz_call *const fuzz_call_table;
extern const unsigned fuzz_call_count;

/* xorshift64*: small, fast and the same on every machine, so a seed replays exactly. */
struct rng {
    uint64_t state;
};

/* Seeds r from seed and stream (a worker's index): different streams never share a state. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
/* The next 32 random bits. */
uint32_t rng_next(struct rng *r);
/* A number in 0..n-1 (n > 0). */
uint32_t rng_below(struct rng *r, uint32_t n);

/* The arena: ARENA_PAGES pages at a fixed address, the last two read-only and inaccessible. */
#define ARENA_BASE     0x30000000u
#define ARENA_PAGES    8u
#define ARENA_RW_PAGES 6u /* pages 0..5 read-write; 6 read-only; 7 PROT_NONE */
#define PAGE           4096u

/* Maps the arena again (MAP_FIXED) and fills it with random bytes: calls may have unmapped,
 * protected or scribbled on it. */
void arena_reset(struct rng *r);

/* What the argument makers need to know about the process issuing the call. */
struct fuzz_proc {
    struct rng rng;
    int self;     /* pid */
    int pids[16]; /* siblings first, then children this process forked */
    unsigned npids;
    unsigned scratch; /* next free byte of the scratch page (iovecs, pollfds, argv, times) */
};

/* The handler workers install; a sigaction argument names it most often. */
void fuzz_on_signal(int sig);

/* One random argument of kind a for a call made by p. */
uint32_t fuzz_arg(struct fuzz_proc *p, struct fuzz_arg a);
/* Remembers a pid (a child just forked) as a target for later pid arguments. */
void fuzz_add_pid(struct fuzz_proc *p, int pid);

/* Where workers report progress: a pipe to the supervisor, at a descriptor no argument names. */
#define REPORT_FD 200
#define TRACE_FD  201 /* the console, for --trace */

struct fuzz_report {
    uint32_t worker; /* its index: workers are numbered from 0 in the order they start */
    uint32_t calls;  /* made since its last report */
};

/* Runs worker number index: quota random calls seeded from (seed, index), then exits. Never
 * returns. siblings are the other workers' pids (targets for kill and friends). */
__attribute__((noreturn)) void fuzz_worker(uint64_t seed, unsigned index, unsigned quota,
                                           const int *siblings, unsigned nsiblings, bool trace);
