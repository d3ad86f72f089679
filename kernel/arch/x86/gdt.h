#pragma once
#include <stdint.h>

#include <arch/segments.h>

struct cpu;

/* Builds and loads c's own GDT (kernel and user segments, its TSS, the double-fault TSS, the
 * per-CPU segment with c as its base), the task register, and %fs: run on the CPU c itself.
 * From here on this_cpu() is c. */
void gdt_init_cpu(struct cpu *c);

/* Sets the stack this CPU switches to when ring 3 traps into the kernel. */
void gdt_set_kernel_stack(uint32_t esp0);

/* Writes the running process's TLS descriptors into this CPU's GDT entries TLS_FIRST_ENTRY.. (a 0
 * is an empty entry: loading a selector for it faults). */
void gdt_set_tls(const uint64_t descriptors[TLS_ENTRIES]);
