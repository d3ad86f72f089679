#pragma once
/*
 * The application processors (smp.c): found in ACPI's MADT, started with INIT-SIPI-SIPI from
 * a real-mode trampoline, and TLB shootdowns.
 */
#include <stdint.h>

struct boot_info;
struct cpu;

/* Drops the TLB's entry for page va (TLB_ALL: every user entry) on every other CPU that has
 * page directory pgdir loaded (0: every other CPU, for kernel mappings). */
#define TLB_ALL 0xffffffffu
void smp_tlb_shootdown(uint32_t pgdir, uint32_t va);

/* The entry for the local APIC's vectors and the inter-processor interrupts (trap.c). */
void smp_ipi(uint32_t vector);

/* fpu.c: turns on the FPU and SSE on this CPU. */
void fpu_enable_cpu(void);

/* trap.c: loads the IDT on this CPU. */
void idt_load(void);
