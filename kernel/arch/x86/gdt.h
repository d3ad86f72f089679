#pragma once
#include <stdint.h>

/* Loads the GDT (kernel and user segments, the TSS, the double-fault TSS) and the task register. */
void gdt_init(void);

/* Sets the stack the CPU switches to when ring 3 traps into the kernel. */
void gdt_set_kernel_stack(uint32_t esp0);
