/*
 * usertests, in the spirit of xv6's: every hostile act a program can try, each in a child of
 * its own. The kernel must end the child with the signal its fault maps to (page faults and
 * general protection faults: SIGSEGV 11; ud2: SIGILL 4; divide error: SIGFPE 8), reaped before
 * the next check, and in the end every frame must be back:
 *
 *     usertests: ok null read             (one line per act)
 *     ...
 *     usertests: ok huge malloc           malloc in 1 MiB steps until it returns NULL (ENOMEM):
 *                                         the child exits normally, it is not killed
 *     usertests: freeram before N after M
 *     usertests: ok
 *
 * A wrong ending prints "usertests: FAIL NAME: ..." and the exit status is 1. The kernel
 * prints its own line for each child it kills ("pid N (usertests) killed: ...").
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define KERNEL_DATA 0xC0000000u
#define KERNEL_CODE 0xC0100000u
#define STACK_FRAME 4096
#define STACK_LEVELS 1024 /* 4 MiB of stack: far past the 1 MiB limit */
#define MALLOC_STEP (1024 * 1024)

struct act {
    const char *name;
    void (*run)(void);
    int signal; /* 0: the child must exit with status 0 */
};

static void null_read(void)
{
    volatile uintptr_t address = 0;
    int value = *(volatile int *)address;
    (void)value;
}

static void null_write(void)
{
    volatile uintptr_t address = 0;
    *(volatile int *)address = 1;
}

static void write_text(void)
{
    volatile uintptr_t address = (uintptr_t)write_text;
    *(volatile unsigned char *)address = 0xc3;
}

static void read_kernel(void)
{
    volatile uintptr_t address = KERNEL_DATA;
    uint32_t value = *(volatile uint32_t *)address;
    (void)value;
}

static void write_kernel(void)
{
    volatile uintptr_t address = KERNEL_DATA;
    *(volatile uint32_t *)address = 0x12345678;
}

static void jump_kernel(void)
{
    volatile uintptr_t address = KERNEL_CODE;
    ((void (*)(void))address)();
}

static void do_cli(void)
{
    __asm__ volatile("cli");
}

static void do_hlt(void)
{
    __asm__ volatile("hlt");
}

static void do_in(void)
{
    uint8_t value;
    __asm__ volatile("inb $0x60, %0" : "=a"(value));
    (void)value;
}

static void do_out(void)
{
    /* Port 0xf4 is QEMU's isa-debug-exit: were it allowed, QEMU would quit on the spot. */
    __asm__ volatile("outb %0, $0xf4" : : "a"((uint8_t)0));
}

static void do_int13(void)
{
    __asm__ volatile("int $13");
}

static void do_ud2(void)
{
    __asm__ volatile("ud2");
}

static void divide_by_zero(void)
{
    uint32_t quotient;
    __asm__ volatile("divl %2" : "=a"(quotient) : "a"(1), "r"(0), "d"(0) : "cc");
    (void)quotient;
}

/* Touches one 4 KiB frame per level, top first, down to 4 MiB. */
__attribute__((noinline)) static unsigned recurse(unsigned depth)
{
    volatile unsigned char frame[STACK_FRAME];
    frame[STACK_FRAME - 1] = (unsigned char)depth;
    frame[0] = (unsigned char)depth;
    if (depth == STACK_LEVELS) {
        return frame[0];
    }
    return recurse(depth + 1) + frame[STACK_FRAME - 1];
}

static void stack_overflow(void)
{
    volatile unsigned sum = recurse(0);
    (void)sum;
}

/*
 * Takes memory until malloc says no. Exits 0 when it ended with NULL and ENOMEM after at
 * least one step, 1 otherwise; prints nothing, since with no memory left even a new stack
 * page is out of reach.
 */
static void huge_malloc(void)
{
    unsigned steps = 0;
    for (;;) {
        errno = 0;
        char *p = malloc(MALLOC_STEP);
        if (p == NULL) {
            _exit(errno == ENOMEM && steps > 0 ? 0 : 1);
        }
        p[0] = 1;
        p[MALLOC_STEP - 1] = 1;
        steps++;
    }
}

static const struct act acts[] = {
    { "null read", null_read, SIGSEGV },
    { "null write", null_write, SIGSEGV },
    { "write text", write_text, SIGSEGV },
    { "read kernel", read_kernel, SIGSEGV },
    { "write kernel", write_kernel, SIGSEGV },
    { "jump kernel", jump_kernel, SIGSEGV },
    { "cli", do_cli, SIGSEGV },
    { "hlt", do_hlt, SIGSEGV },
    { "in", do_in, SIGSEGV },
    { "out", do_out, SIGSEGV },
    { "int 13", do_int13, SIGSEGV },
    { "ud2", do_ud2, SIGILL },
    { "divide by zero", divide_by_zero, SIGFPE },
    { "stack overflow", stack_overflow, SIGSEGV },
    { "huge malloc", huge_malloc, 0 },
};

/* Runs one act in a child and checks how the child ended. Returns 1 on a failure. */
static int run_act(const struct act *act)
{
    int pid = fork();
    if (pid < 0) {
        printf("usertests: FAIL %s: fork: %s\n", act->name, strerror(errno));
        return 1;
    }
    if (pid == 0) {
        act->run();
        _exit(act->signal == 0 ? 0 : 99); /* 99: the act did not fault */
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        printf("usertests: FAIL %s: waitpid: %s\n", act->name, strerror(errno));
        return 1;
    }
    if (act->signal != 0 && WIFSIGNALED(status) && WTERMSIG(status) == act->signal) {
        printf("usertests: ok %s\n", act->name);
        return 0;
    }
    if (act->signal == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("usertests: ok %s\n", act->name);
        return 0;
    }
    if (WIFSIGNALED(status)) {
        printf("usertests: FAIL %s: killed by signal %d, want %s %d\n", act->name,
               WTERMSIG(status), act->signal ? "signal" : "exit", act->signal);
    } else {
        printf("usertests: FAIL %s: exited with %d, want %s %d\n", act->name,
               WEXITSTATUS(status), act->signal ? "signal" : "exit", act->signal);
    }
    return 1;
}

static unsigned long free_ram(void)
{
    struct sysinfo info;
    if (sysinfo(&info) != 0) {
        printf("usertests: FAIL sysinfo: %s\n", strerror(errno));
        exit(1);
    }
    return info.freeram;
}

int main(void)
{
    /* Printing first grows this stack to its printf depth before freeram is taken. */
    printf("usertests: %d hostile acts, each in a child\n", (int)(sizeof(acts) / sizeof(acts[0])));
    unsigned long before = free_ram();
    int failures = 0;
    for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
        failures += run_act(&acts[i]);
    }
    unsigned long after = free_ram();
    printf("usertests: freeram before %lu after %lu\n", before, after);
    if (before != after) {
        printf("usertests: FAIL %ld units of memory not given back\n", (long)(before - after));
        failures++;
    }
    if (failures != 0) {
        return 1;
    }
    printf("usertests: ok\n");
    return 0;
}
