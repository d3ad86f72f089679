/*
 * The GDTs and the task state segments: one GDT and one TSS per CPU, and one double-fault TSS.
 *
 * Ringlet uses flat segments (base 0, limit 4 GiB) and paging for protection. The GDT still
 * matters for three things: the privilege level of code and data segments, the TSS that tells
 * the CPU which stack to use when ring 3 traps into ring 0 (esp0), a second TSS that the
 * double-fault task gate switches to, so a kernel stack overflow is reported on a fresh stack,
 * the running process's thread-local-storage segments (tls.c), and the per-CPU segment the
 * kernel keeps in %fs (arch/percpu.h), whose base is the CPU's struct cpu. The TSS and the TLS
 * entries belong to what one CPU runs, so every CPU has its own GDT. There is no LDT: the LDT
 * register is null, so a selector that names the LDT always faults.
 */
#include "gdt.h"

#include <arch.h>
#include <cpu.h>
#include <kprintf.h>

#include <arch/memlayout.h>
#include <arch/registers.h>
#include <arch/segments.h>
#include <arch/x86.h>

#include <stddef.h>

struct tss {
    uint32_t link; /*  0 */
    uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3; /* 28 */
    uint32_t eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap;
    uint16_t iomap_base; /* 102 */
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "the CPU's 32-bit TSS is 104 bytes");
_Static_assert(offsetof(struct tss, cr3) == 28, "TSS layout");
_Static_assert(offsetof(struct tss, iomap_base) == 102, "TSS layout");

#define GDT_ENTRIES             11
#define DOUBLE_FAULT_STACK_SIZE 8192

/* One CPU's descriptor tables. */
struct cpu_tables {
    uint64_t gdt[GDT_ENTRIES];
    struct tss tss;
};

static struct cpu_tables tables[CPU_MAX];
_Static_assert(TLS_FIRST_ENTRY + TLS_ENTRIES <= DOUBLE_FAULT_TSS_SEL >> 3, "TLS entries fit");
_Static_assert(PERCPU_SEL >> 3 < GDT_ENTRIES, "the per-CPU entry fits");
/* Shared: two CPUs whose kernel stacks overflow at once are not expected. */
static struct tss double_fault_tss;
static uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));

extern char boot_page_dir[];

/* Access byte values: present, privilege, code/data or system type. */
#define ACCESS_KERNEL_CODE 0x9a
#define ACCESS_KERNEL_DATA 0x92
#define ACCESS_USER_CODE   0xfa
#define ACCESS_USER_DATA   0xf2
#define ACCESS_TSS         0x89 /* present, 32-bit available TSS */
#define FLAGS_4K_32BIT     0xc

static uint64_t descriptor(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    return (uint64_t)(limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)access << 40 |
           (uint64_t)((limit >> 16) & 0xf) << 48 | (uint64_t)(flags & 0xf) << 52 |
           (uint64_t)(base >> 24) << 56;
}

static struct cpu_tables *my_tables(void)
{
    return &tables[this_cpu()->index];
}

/* Runs as its own task on its own stack, after the CPU failed to deliver an exception. The
 * task switch loaded %fs from this CPU's GDT, so this_cpu() works. */
static _Noreturn void double_fault_task(void)
{
    const struct tss *t = &my_tables()->tss; /* the CPU saved the failing state here */
    kprintf("\npanic: double fault (kernel stack overflow?) on cpu%u\n", this_cpu()->index);
    struct arch_registers regs = {
        .eax = t->eax,
        .ebx = t->ebx,
        .ecx = t->ecx,
        .edx = t->edx,
        .esi = t->esi,
        .edi = t->edi,
        .ebp = t->ebp,
        .esp = t->esp,
        .eip = t->eip,
        .eflags = t->eflags,
        .cr0 = read_cr0(),
        .cr2 = read_cr2(),
        .cr3 = read_cr3(),
        .cr4 = read_cr4(),
        .cs = (uint16_t)t->cs,
        .ds = (uint16_t)t->ds,
        .ss = (uint16_t)t->ss,
    };
    arch_print_registers(&regs);
    panic_stop();
}

/* The double-fault task: shared by every CPU, set up once. */
static void double_fault_tss_init(void)
{
    double_fault_tss.eip = (uint32_t)(uintptr_t)double_fault_task;
    double_fault_tss.esp = (uint32_t)(uintptr_t)(double_fault_stack + DOUBLE_FAULT_STACK_SIZE);
    double_fault_tss.cr3 = virt_to_phys(boot_page_dir); /* maps all of the direct map */
    double_fault_tss.eflags = 0x2;                      /* interrupts off */
    double_fault_tss.cs = KERNEL_CS;
    double_fault_tss.ds = double_fault_tss.es = double_fault_tss.ss = KERNEL_DS;
    double_fault_tss.gs = KERNEL_DS;
    double_fault_tss.fs = PERCPU_SEL; /* from the failing CPU's own GDT */
    double_fault_tss.iomap_base = sizeof(struct tss);
}

void gdt_init_cpu(struct cpu *c)
{
    struct cpu_tables *t = &tables[c->index];
    uint64_t *gdt = t->gdt;
    if (c->index == 0) {
        double_fault_tss_init();
    }
    gdt[0] = 0;
    gdt[KERNEL_CS >> 3] = descriptor(0, 0xfffff, ACCESS_KERNEL_CODE, FLAGS_4K_32BIT);
    gdt[KERNEL_DS >> 3] = descriptor(0, 0xfffff, ACCESS_KERNEL_DATA, FLAGS_4K_32BIT);
    gdt[USER_CS >> 3] = descriptor(0, 0xfffff, ACCESS_USER_CODE, FLAGS_4K_32BIT);
    gdt[USER_DS >> 3] = descriptor(0, 0xfffff, ACCESS_USER_DATA, FLAGS_4K_32BIT);
    gdt[TSS_SEL >> 3] =
        descriptor((uint32_t)(uintptr_t)&t->tss, sizeof(struct tss) - 1, ACCESS_TSS, 0);
    gdt[DOUBLE_FAULT_TSS_SEL >> 3] =
        descriptor((uint32_t)(uintptr_t)&double_fault_tss, sizeof(struct tss) - 1, ACCESS_TSS, 0);
    /* Byte granular, just the struct: the kernel data segment with c as its base. */
    gdt[PERCPU_SEL >> 3] =
        descriptor((uint32_t)(uintptr_t)c, sizeof(struct cpu) - 1, ACCESS_KERNEL_DATA, 0x4);
    c->self = c;

    /* No I/O permission bitmap: the base points past the end of the TSS. */
    t->tss.ss0 = KERNEL_DS;
    t->tss.iomap_base = sizeof(struct tss);

    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) gdtr = { sizeof(t->gdt) - 1, (uint32_t)(uintptr_t)gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp %1, $1f\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%gs\n\t"
                     "movw %w2, %%ss\n\t"
                     :
                     : "m"(gdtr), "i"(KERNEL_CS), "r"(KERNEL_DS)
                     : "memory");
    load_fs(PERCPU_SEL);
    ltr(TSS_SEL);
    /* No LDT: a null LDT register makes every selector with the TI bit a fault. The CPU comes
     * out of reset with base 0 and limit 0xffff here, an LDT in user memory at address 0 that
     * any program could fill with its own descriptors (found by the system-call fuzzer). */
    lldt(0);
}

void gdt_set_kernel_stack(uint32_t esp0)
{
    my_tables()->tss.esp0 = esp0;
}

void gdt_set_tls(const uint64_t descriptors[TLS_ENTRIES])
{
    uint64_t *gdt = my_tables()->gdt;
    for (unsigned i = 0; i < TLS_ENTRIES; i++) {
        gdt[TLS_FIRST_ENTRY + i] = descriptors[i];
    }
}
