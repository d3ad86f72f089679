#pragma once
/* Kernel output and the two ways the kernel gives up: panic() and assert(). */
#include <lib/format.h>

/* Prints to every console (serial and screen); formats as described in lib/format.h. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list args);

/*
 * Prints "panic: " and the message, the registers and a backtrace on every console, then stops
 * the machine. Messages read "function: reason", for example panic("vm_map: remap").
 */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The last words of every panic: prints that the machine is stopped and stops it (STOP_PANIC).
 * For the paths that print their own report first: panic(), a kernel-mode exception (trap.c)
 * and the double fault (gdt.c).
 */
_Noreturn void panic_stop(void);

#define assert(expr)                                                                               \
    do {                                                                                           \
        if (!(expr)) {                                                                             \
            panic("assertion failed: %s at %s:%d", #expr, __FILE__, __LINE__);                     \
        }                                                                                          \
    } while (0)
