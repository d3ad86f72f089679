#pragma once
/*
 * Per-CPU data on x86: the kernel keeps %fs loaded with PERCPU_SEL, a GDT entry whose base each
 * CPU's own GDT sets to its struct cpu (gdt.c), so %fs:0 is this CPU's struct cpu's self
 * pointer (Linux i386 uses %fs the same way; user programs keep %gs for their TLS). The entry
 * paths load %fs on the way in and give the program its own back on the way out.
 */
struct cpu;

/* volatile: a process that gave up the CPU may come back on another one, so the value must
 * never be reused across a call. */
static inline struct cpu *arch_this_cpu(void)
{
    struct cpu *c;
    __asm__ volatile("movl %%fs:0, %0" : "=r"(c));
    return c;
}
