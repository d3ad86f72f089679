/*
 * The FPU and SSE state belongs to each process: the kernel must save and restore it when it
 * switches, at a timer interrupt as well as in a system call. This is the one kind of program
 * built with floating point (user/build.mk gives fpu* -msse2 -mfpmath=sse): doubles live in
 * SSE registers, long doubles on the x87 stack.
 *
 * It checks, in order:
 *
 *  1. the state a new process starts with: x87 control word 0x037f, MXCSR 0x1f80 (Linux's);
 *  2. with a helper child running that keeps every x87 and SSE register full of junk and sets
 *     the opposite rounding modes (toward zero, single precision), spinning and yielding:
 *     - a value held in xmm7 and one on the x87 stack survive 100 sched_yield calls;
 *     - the sum of 1/k^2 (SSE) and of 1/k (x87) for k = 1..1000000, computed twice in chunks
 *       with sched_yield and nanosleep between them, give the same bits both times, and the
 *       first is pi^2/6 to within the series' tail;
 *  3. (optional) the bits equal argv[1], a hex string from an earlier run.
 *
 * Success is one line with the result's bits, the same in every run on every correct kernel;
 * two instances running at once must print the same line:
 *
 *     fpu: ok 403009a4126d32af           (the bits Linux on real hardware prints too)
 *
 * A failure prints "fpu: FAIL ..." and exits 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TERMS        1000000
#define CHUNKS       20
#define YIELD_CHECKS 100

#define X87_DEFAULT_CW 0x037f
#define MXCSR_DEFAULT  0x1f80
#define MXCSR_FLAGS    0x003f /* sticky exception flags: not part of the mode */

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    char detail[160];
    va_list args;
    va_start(args, fmt);
    vsnprintf(detail, sizeof(detail), fmt, args);
    va_end(args);
    printf("fpu: FAIL %s\n", detail);
    failures++;
}

static uint64_t bits_of(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    return bits;
}

static void check_initial_state(void)
{
    uint16_t cw;
    uint32_t mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    if (cw != X87_DEFAULT_CW) {
        fail("x87 control word at start is 0x%04x, want 0x%04x", cw, X87_DEFAULT_CW);
    }
    if ((mxcsr & ~MXCSR_FLAGS) != MXCSR_DEFAULT) {
        fail("MXCSR at start is 0x%08x, want 0x%08x", (unsigned)mxcsr, MXCSR_DEFAULT);
    }
}

/*
 * The helper: fills xmm0-7 and the whole x87 stack with junk, switches both units to rounding
 * toward zero (and the x87 to 24-bit precision), spins a while with that state live, yields,
 * and starts over, until the parent kills it.
 */
__attribute__((noreturn)) static void scribble_forever(void)
{
    static const uint32_t junk[4]
        __attribute__((aligned(16))) = { 0xdeadbeef, 0x7ff80001, 0x55555555, 0xaaaaaaaa };
    static const uint16_t cw = 0x0c7f;    /* round toward zero, 24-bit precision */
    static const uint32_t mxcsr = 0x7f80; /* round toward zero, exceptions masked */
    __asm__ volatile("1:\n\t"
                     "fninit\n\t"
                     "fldcw %0\n\t"
                     "ldmxcsr %1\n\t"
                     "movdqa %2, %%xmm0\n\t"
                     "movdqa %2, %%xmm1\n\t"
                     "movdqa %2, %%xmm2\n\t"
                     "movdqa %2, %%xmm3\n\t"
                     "movdqa %2, %%xmm4\n\t"
                     "movdqa %2, %%xmm5\n\t"
                     "movdqa %2, %%xmm6\n\t"
                     "movdqa %2, %%xmm7\n\t"
                     "fldpi\n\t"
                     "fldl2e\n\t"
                     "fldlg2\n\t"
                     "fldln2\n\t"
                     "fldl2t\n\t"
                     "fld1\n\t"
                     "fldpi\n\t"
                     "fldl2e\n\t"
                     "movl $200000, %%ecx\n"
                     "2:\n\t"
                     "decl %%ecx\n\t"
                     "jnz 2b\n\t"
                     "movl %3, %%eax\n\t"
                     "int $0x80\n\t"
                     "jmp 1b"
                     :
                     : "m"(cw), "m"(mxcsr), "m"(junk), "i"(SYS_sched_yield)
                     : "eax", "ecx", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                       "cc", "memory");
    __builtin_unreachable();
}

/* A value in xmm7 and one on the x87 stack, kept in the registers across sched_yield. */
static void check_registers_across_yield(void)
{
    static const double value = 1.0 / 3.0;
    long double pi_before;
    __asm__ volatile("fldpi\n\t"
                     "fstpt %0"
                     : "=m"(pi_before));
    for (int i = 0; i < YIELD_CHECKS; i++) {
        double xmm_after;
        long double pi_after;
        __asm__ volatile("movsd %2, %%xmm7\n\t"
                         "fldpi\n\t"
                         "movl %3, %%eax\n\t"
                         "int $0x80\n\t"
                         "movsd %%xmm7, %0\n\t"
                         "fstpt %1"
                         : "=m"(xmm_after), "=m"(pi_after)
                         : "m"(value), "i"(SYS_sched_yield)
                         : "eax", "xmm7", "memory");
        if (bits_of(xmm_after) != bits_of(value) || memcmp(&pi_after, &pi_before, 10) != 0) {
            fail("registers changed across sched_yield (xmm7 %016llx, want %016llx)",
                 (unsigned long long)bits_of(xmm_after), (unsigned long long)bits_of(value));
            return;
        }
    }
}

struct sums {
    double sse;      /* sum of 1/k^2, in SSE registers */
    long double x87; /* sum of 1/k, on the x87 stack */
};

/* Both series, in a fixed order, with the CPU given away between chunks. */
static struct sums compute(void)
{
    struct sums s = { 0.0, 0.0L };
    int per_chunk = TERMS / CHUNKS;
    for (int chunk = 0; chunk < CHUNKS; chunk++) {
        int first = 1 + chunk * per_chunk;
        for (int k = first; k < first + per_chunk; k++) {
            double kd = (double)k;
            s.sse += 1.0 / (kd * kd);
            s.x87 += 1.0L / (long double)k;
        }
        if (chunk % 5 == 4) {
            struct timespec tick = { 0, 10 * 1000 * 1000 };
            nanosleep(&tick, NULL);
        } else {
            sched_yield();
        }
    }
    return s;
}

int main(int argc, char **argv)
{
    check_initial_state();

    int helper = fork();
    if (helper == 0) {
        scribble_forever();
    }
    if (helper < 0) {
        printf("fpu: no helper process (fork: %s); checking alone\n", strerror(errno));
    }

    check_registers_across_yield();
    struct sums first = compute();
    struct sums second = compute();

    if (helper > 0) {
        int status;
        kill(helper, SIGKILL);
        if (waitpid(helper, &status, 0) != helper || !WIFSIGNALED(status)) {
            fail("the helper did not end by SIGKILL (status 0x%x)", status);
        }
    }

    if (bits_of(first.sse) != bits_of(second.sse)) {
        fail("SSE sum differs between runs: %016llx then %016llx",
             (unsigned long long)bits_of(first.sse), (unsigned long long)bits_of(second.sse));
    }
    if (memcmp(&first.x87, &second.x87, 10) != 0) {
        fail("x87 sum differs between runs: %016llx then %016llx",
             (unsigned long long)bits_of((double)first.x87),
             (unsigned long long)bits_of((double)second.x87));
    }
    /* pi^2/6 = 1.6449340668...; the terms left out add up to about 1/TERMS. */
    if (!(first.sse > 1.644933 && first.sse < 1.6449341)) {
        fail("sum of 1/k^2 is %016llx, not near pi^2/6", (unsigned long long)bits_of(first.sse));
    }

    uint64_t result = bits_of(first.sse + (double)first.x87);
    if (argc > 1) {
        uint64_t expected = 0;
        for (const char *p = argv[1]; *p != '\0'; p++) {
            int digit = *p >= '0' && *p <= '9'   ? *p - '0'
                        : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
                        : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
                                                 : -1;
            if (digit < 0) {
                fail("argument %s is not a hex number", argv[1]);
                break;
            }
            expected = expected << 4 | (uint64_t)digit;
        }
        if (expected != result) {
            fail("result %016llx, want %s", (unsigned long long)result, argv[1]);
        }
    }
    if (failures != 0) {
        return 1;
    }
    printf("fpu: ok %016llx\n", (unsigned long long)result);
    return 0;
}
