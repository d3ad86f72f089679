#pragma once
/*
 * A scheduling timeline: with trace=1 on the command line, the kernel records context switches,
 * system calls and interrupts in a ring buffer, stamped with the cycle counter, and prints them
 * on the consoles when the machine powers off. `./ringlet trace` turns that into the Chrome
 * trace-event JSON that Perfetto and chrome://tracing open (docs/debugging.md).
 */
#include <stdbool.h>
#include <stdint.h>

enum trace_kind {
    TRACE_SWITCH = 1,  /* arg: 0; pid: the process the CPU now runs */
    TRACE_SYSCALL,     /* arg: the call's number; pid: the caller */
    TRACE_SYSCALL_END, /* arg: the result */
    TRACE_IRQ,         /* arg: the IRQ line; pid: whoever was interrupted (0: the scheduler) */
    TRACE_NAME,        /* arg: a slot of the name table; pid: the process named (new, exec) */
};

/* True while tracing: the entry code tests it before calling in, so tracing off costs a
 * compare and a branch. */
extern volatile uint8_t trace_enabled;

/* trace=1 (or trace=N events, up to 1,048,576) turns tracing on; the buffer's frames are taken
 * here, before the run's free-frame count is read. */
void trace_init(const char *cmdline);

/* Records one event for pid with arg, stamped now; overwrites the oldest when full. */
void trace_record(enum trace_kind kind, int pid, uint32_t arg);

/* Records that pid is now called name (a new process, or an exec). */
void trace_name(int pid, const char *name);

/*
 * Prints the recorded events, oldest first, between "trace: begin" and "trace: end" lines with
 * the counter's rate (cycles per timer tick); nothing when tracing is off.
 */
void trace_dump(void);
