#pragma once
#include <stdint.h>

#include <arch/segments.h>

/* Loads the GDT (kernel and user segments, the TSS, the double-fault TSS) and the task register. */
void gdt_init(void);

/* Sets the stack the CPU switches to when ring 3 traps into the kernel. */
void gdt_set_kernel_stack(uint32_t esp0);

/* Writes the running process's TLS descriptors into GDT entries TLS_FIRST_ENTRY.. (a 0 is an
 * empty entry: loading a selector for it faults). */
void gdt_set_tls(const uint64_t descriptors[TLS_ENTRIES]);
