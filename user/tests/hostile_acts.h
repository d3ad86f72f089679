#pragma once
/*
 * The hostile acts a program can try on its own, in one table that serves both ways of running
 * them: each hostile_NAME program runs one act as its whole life (its own boot, tests/system/
 * test_hostile.py), and usertests runs every act in a child of its own (test_shell.py). A header
 * rather than a source file because every .c in user/tests is a program of its own; each
 * program that includes it uses the table, so nothing in it goes unused.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define HOSTILE_KERNEL_DATA  0xC0000000u /* the first byte of the kernel's half */
#define HOSTILE_KERNEL_CODE  0xC0100000u /* where the kernel's code is */
#define HOSTILE_STACK_FRAME  4096
#define HOSTILE_STACK_LEVELS 1024 /* 4 MiB of stack: far past the 1 MiB limit */

struct hostile_act {
    const char *program; /* hostile_PROGRAM */
    const char *name;    /* usertests' name for it */
    const char *about;   /* what hostile_PROGRAM says before it acts: "about to ..." */
    void (*run)(void);   /* the act; it returns only if the kernel let it live */
    int signal;          /* the signal the kernel must end the process with (0: usertests'
                            huge malloc, which must exit with status 0) */
};

static void hostile_null_read(void)
{
    volatile uintptr_t address = 0; /* volatile: the compiler may not turn this into a trap */
    int value = *(volatile int *)address;
    (void)value;
}

static void hostile_null_write(void)
{
    volatile uintptr_t address = 0;
    *(volatile int *)address = 42;
}

static void hostile_write_text(void)
{
    volatile uintptr_t address = (uintptr_t)hostile_write_text;
    *(volatile unsigned char *)address = 0xc3; /* ret */
}

static void hostile_read_kernel(void)
{
    volatile uintptr_t address = HOSTILE_KERNEL_DATA;
    uint32_t value = *(volatile uint32_t *)address;
    (void)value;
}

static void hostile_write_kernel(void)
{
    volatile uintptr_t address = HOSTILE_KERNEL_DATA;
    *(volatile uint32_t *)address = 0x12345678;
}

static void hostile_jump_kernel(void)
{
    volatile uintptr_t address = HOSTILE_KERNEL_CODE;
    ((void (*)(void))address)();
}

static void hostile_cli(void)
{
    __asm__ volatile("cli");
}

static void hostile_hlt(void)
{
    __asm__ volatile("hlt");
}

static void hostile_inb(void)
{
    uint8_t value;
    __asm__ volatile("inb $0x60, %0" : "=a"(value));
    (void)value;
}

static void hostile_outb(void)
{
    /* Port 0xf4 is QEMU's isa-debug-exit: were it allowed, QEMU would quit on the spot. */
    __asm__ volatile("outb %0, $0xf4" : : "a"((uint8_t)0));
}

static void hostile_int13(void)
{
    __asm__ volatile("int $13");
}

static void hostile_ud2(void)
{
    __asm__ volatile("ud2");
}

static void hostile_divide_zero(void)
{
    uint32_t quotient;
    __asm__ volatile("divl %2" : "=a"(quotient) : "a"(1), "r"(0), "d"(0) : "cc");
    (void)quotient;
}

/* Touches one 4 KiB frame per level, top first (the stack is touched downwards, page after
 * page), down to 4 MiB. Returns a value that depends on every frame, so no frame can be
 * optimised away. */
__attribute__((noinline)) static unsigned hostile_recurse(unsigned depth)
{
    volatile unsigned char frame[HOSTILE_STACK_FRAME];
    frame[HOSTILE_STACK_FRAME - 1] = (unsigned char)depth;
    frame[0] = (unsigned char)depth;
    if (depth == HOSTILE_STACK_LEVELS) {
        return frame[0];
    }
    unsigned below = hostile_recurse(depth + 1);
    /* The frame's address escapes across the call: no compiler may turn the recursion into a
     * loop (Clang does, for the plain form, and the stack then never grows). */
    __asm__ volatile("" : : "r"(frame) : "memory");
    return below + frame[HOSTILE_STACK_FRAME - 1];
}

static void hostile_stack_overflow(void)
{
    volatile unsigned sum = hostile_recurse(0);
    (void)sum;
}

/* Page faults and general protection faults end a process with SIGSEGV, ud2 with SIGILL and a
 * divide error with SIGFPE. */
static const struct hostile_act hostile_acts[] = {
    { "null_read", "null read", "read address 0", hostile_null_read, SIGSEGV },
    { "null_write", "null write", "write address 0", hostile_null_write, SIGSEGV },
    { "write_text", "write text", "write into its own code", hostile_write_text, SIGSEGV },
    { "read_kernel", "read kernel", "read 0xc0000000", hostile_read_kernel, SIGSEGV },
    { "write_kernel", "write kernel", "write 0xc0000000", hostile_write_kernel, SIGSEGV },
    { "jump_kernel", "jump kernel", "call 0xc0100000", hostile_jump_kernel, SIGSEGV },
    { "cli", "cli", "cli", hostile_cli, SIGSEGV },
    { "hlt", "hlt", "hlt", hostile_hlt, SIGSEGV },
    { "inb", "in", "inb from port 0x60", hostile_inb, SIGSEGV },
    { "outb", "out", "outb 0 to port 0xf4", hostile_outb, SIGSEGV },
    { "int13", "int 13", "execute int $13", hostile_int13, SIGSEGV },
    { "ud2", "ud2", "execute ud2", hostile_ud2, SIGILL },
    { "divide_zero", "divide by zero", "divide 1 by 0", hostile_divide_zero, SIGFPE },
    { "stack_overflow", "stack overflow", "recurse past 1 MiB of stack", hostile_stack_overflow,
      SIGSEGV },
};

#define HOSTILE_ACT_COUNT (sizeof(hostile_acts) / sizeof(hostile_acts[0]))

/*
 * The whole life of program hostile_PROGRAM: says what it is about to do, does it, and prints
 * "SHOULD NOT PRINT" (which the tests look for) if the kernel let it live. Returns 1 for a
 * program missing from the table.
 */
static inline int hostile_main(const char *program)
{
    for (size_t i = 0; i < HOSTILE_ACT_COUNT; i++) {
        if (strcmp(hostile_acts[i].program, program) == 0) {
            printf("hostile_%s: about to %s\n", program, hostile_acts[i].about);
            hostile_acts[i].run();
            printf("SHOULD NOT PRINT\n");
            return 0;
        }
    }
    printf("hostile_%s: not in the table of hostile acts\n", program);
    return 1;
}
