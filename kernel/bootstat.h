#pragma once
/*
 * How long the boot takes, in the cycle counter's units (guest instructions under QEMU's
 * -icount shift=0): from the kernel's first instructions (boot.S reads the counter there) to
 * the first time a program waits for the terminal, which is the shell showing its prompt.
 * With bootstat=1 on the command line the kernel prints it once; ./ringlet bench reads it.
 */
#include <stdint.h>

/* The cycle counter at _start, written by boot.S before paging is on. */
extern uint64_t boot_entry_cycles;

/* Reads bootstat=1 from the command line. */
void bootstat_init(const char *cmdline);

/* Called when a program reads or polls the terminal: the first call prints
 * "ringlet: boot: N cycles from kernel entry to the first terminal read" (bootstat=1). */
void bootstat_terminal_read(void);
