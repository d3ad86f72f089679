#pragma once
/* Thin wrappers around single x86 instructions. Only code under kernel/arch/ includes this. */
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t value)
{
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline uint32_t read_cr0(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline uint32_t read_cr2(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint32_t read_cr3(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline uint32_t read_cr4(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

/* Writes to cr0/cr3/cr4 change how every later memory access is translated or checked, so they
 * are compiler barriers too. */
static inline void write_cr0(uint32_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* Loading cr3 switches address space and flushes every non-global TLB entry. */
static inline void write_cr3(uint32_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void write_cr4(uint32_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* Drops the TLB entry for the page holding va in the current address space. */
static inline void invlpg(uint32_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cli(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline void hlt(void)
{
    __asm__ volatile("hlt" ::: "memory");
}

/* Waits for an interrupt with interrupts enabled only for the wait: sti delays its effect by one
 * instruction, so no interrupt can slip in between sti and hlt and leave the CPU asleep. */
static inline void sti_hlt_cli(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* Loads the IDT register from a packed {limit, base} descriptor. */
static inline void lidt(const void *descriptor)
{
    __asm__ volatile("lidt (%0)" : : "r"(descriptor) : "memory");
}

static inline void ltr(uint16_t selector)
{
    __asm__ volatile("ltr %w0" : : "r"(selector));
}

static inline void lldt(uint16_t selector)
{
    __asm__ volatile("lldt %w0" : : "r"(selector));
}

static inline uint64_t rdtsc(void)
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t)high << 32 | low;
}

/* Runs cpuid for leaf (subleaf 0) and stores eax, ebx, ecx, edx in r. */
static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static inline void fxsave(void *area)
{
    __asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor(const void *area)
{
    __asm__ volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

#define EFLAGS_TF (1u << 8)  /* trap flag: a debug exception after each instruction */
#define DR6_BS    (1u << 14) /* the debug exception was a single step */

static inline uint32_t read_dr6(void)
{
    uint32_t v;
    __asm__ volatile("mov %%dr6, %0" : "=r"(v));
    return v;
}

static inline void write_dr6(uint32_t v)
{
    __asm__ volatile("mov %0, %%dr6" : : "r"(v));
}

static inline uint32_t read_eflags(void)
{
    uint32_t v;
    __asm__ volatile("pushfl; popl %0" : "=r"(v));
    return v;
}

#define EFLAGS_IF (1u << 9) /* interrupts enabled */

/* Loads %fs (the per-CPU segment in the kernel). */
static inline void load_fs(uint16_t selector)
{
    __asm__ volatile("movw %w0, %%fs" : : "r"(selector) : "memory");
}
