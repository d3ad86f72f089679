/*
 * The architecture side of the consoles, register dumps, backtraces and stopping the machine.
 */
#include <arch.h>
#include <cpu.h>
#include <kprintf.h>
#include <ksyms.h>
#include <lib/string.h>

#include <arch/memlayout.h>
#include <arch/registers.h>
#include <arch/x86.h>

#include "gdt.h"
#include "keyboard.h"
#include "trap.h"
#include "uart.h"

/* QEMU's isa-debug-exit device (added by ./ringlet): writing v makes QEMU exit with 2v+1. */
#define DEBUG_EXIT_PORT 0xf4
/* QEMU's ACPI power management control block on the "pc" machine: S5 (soft off). */
#define ACPI_PM1A_CONTROL 0x604
#define ACPI_SLEEP_S5     0x2000

/*
 * Not inlined, so that the return address on the stack is the caller's eip and esp + 4 the
 * caller's stack pointer. The general registers are what the caller had in them at the call,
 * except eax, which it does not preserve across calls anyway.
 */
__attribute__((noinline)) void arch_capture_registers(struct arch_registers *regs)
{
    __asm__ volatile("movl %%ebx, %0\n\t"
                     "movl %%ecx, %1\n\t"
                     "movl %%edx, %2\n\t"
                     "movl %%esi, %3\n\t"
                     "movl %%edi, %4\n\t"
                     : "=m"(regs->ebx), "=m"(regs->ecx), "=m"(regs->edx), "=m"(regs->esi),
                       "=m"(regs->edi));
    uint32_t *frame = __builtin_frame_address(0);
    regs->eax = 0;
    regs->ebp = frame[0]; /* the caller's frame pointer */
    regs->eip = frame[1]; /* our return address */
    regs->esp = (uint32_t)(uintptr_t)(frame + 2);
    regs->eflags = read_eflags();
    regs->cr0 = read_cr0();
    regs->cr2 = read_cr2();
    regs->cr3 = read_cr3();
    regs->cr4 = read_cr4();
    __asm__ volatile("movw %%cs, %0; movw %%ds, %1; movw %%ss, %2"
                     : "=m"(regs->cs), "=m"(regs->ds), "=m"(regs->ss));
}

void arch_print_registers(const struct arch_registers *r)
{
    kprintf("  eax %08x  ebx %08x  ecx %08x  edx %08x\n", r->eax, r->ebx, r->ecx, r->edx);
    kprintf("  esi %08x  edi %08x  ebp %08x  esp %08x\n", r->esi, r->edi, r->ebp, r->esp);
    char where[KSYMS_TEXT_SIZE];
    kprintf("  eip %08x%s  eflags %08x  cs %04x  ds %04x  ss %04x\n", r->eip,
            ksyms_describe(r->eip, where), r->eflags, r->cs, r->ds, r->ss);
    kprintf("  cr0 %08x  cr2 %08x  cr3 %08x  cr4 %08x\n", r->cr0, r->cr2, r->cr3, r->cr4);
}

/* A frame pointer we may follow: inside the kernel half and 4-byte aligned. */
static int frame_is_sane(uint32_t ebp)
{
    return ebp >= KERNBASE && ebp < 0xfffff000u && (ebp & 3) == 0;
}

uintptr_t arch_registers_frame_pointer(const struct arch_registers *regs)
{
    return regs->ebp;
}

void arch_print_backtrace(uintptr_t pc, uintptr_t fp)
{
    uint32_t eip = (uint32_t)pc;
    uint32_t ebp = (uint32_t)fp;
    char where[KSYMS_TEXT_SIZE];
    kprintf("backtrace:\n");
    int depth = 0;
    if (eip) {
        kprintf("  #%d %p%s\n", depth++, (void *)(uintptr_t)eip, ksyms_describe(eip, where));
    }
    for (; depth < 32 && frame_is_sane(ebp); depth++) {
        const uint32_t *frame = (const uint32_t *)(uintptr_t)ebp;
        uint32_t return_address = frame[1];
        if (return_address == 0) {
            break;
        }
        /* The call instruction ends just before the return address; show that address. */
        uint32_t call = return_address - 1;
        kprintf("  #%d %p%s\n", depth, (void *)(uintptr_t)call, ksyms_describe(call, where));
        if (frame[0] <= ebp) {
            break; /* frames grow towards higher addresses; anything else is a broken chain */
        }
        ebp = frame[0];
    }
}

_Noreturn void arch_stop(enum arch_stop_reason reason)
{
    cli();
    outb(DEBUG_EXIT_PORT, (uint8_t)reason);
    if (reason == STOP_POWER_OFF) {
        outw(ACPI_PM1A_CONTROL, ACPI_SLEEP_S5);
    }
    for (;;) {
        hlt();
    }
}

void arch_traps_init(void)
{
    gdt_init_cpu(&cpus[0]); /* from here on this_cpu() works */
    idt_init();
}

uint64_t arch_cycle_counter(void)
{
    return rdtsc();
}

void arch_console_input_start(void)
{
    uart_start_input();
    keyboard_start();
}

void arch_page_zero(void *page)
{
    uint32_t count = 4096 / 4;
    __asm__ volatile("cld; rep stosl" : "+D"(page), "+c"(count) : "a"(0) : "memory");
}

void arch_page_copy(void *dst, const void *src)
{
    uint32_t count = 4096 / 4;
    __asm__ volatile("cld; rep movsl" : "+D"(dst), "+S"(src), "+c"(count) : : "memory");
}

uint32_t arch_cpu_hwcap(void)
{
    uint32_t r[4];
    cpuid(1, r);
    return r[3];
}

bool arch_hw_random(uint32_t *out)
{
    uint32_t r[4];
    cpuid(1, r);
    if (!(r[2] & (1u << 30))) {
        return false; /* no RDRAND */
    }
    for (int tries = 0; tries < 10; tries++) { /* Intel's advice: retry a few times */
        uint8_t ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
        if (ok) {
            return true;
        }
    }
    return false;
}

void arch_cpu_identify(struct arch_cpu_id *id)
{
    /* The names Linux gives the feature bits of cpuid leaf 1's edx, in bit order. */
    static const char *const edx_flags[32] = {
        "fpu",  "vme",  "de",   "pse", "tsc",  "msr", "pae",   "mce", "cx8",     "apic", NULL,
        "sep",  "mtrr", "pge",  "mca", "cmov", "pat", "pse36", "pn",  "clflush", NULL,   "dts",
        "acpi", "mmx",  "fxsr", "sse", "sse2", "ss",  "ht",    "tm",  "ia64",    "pbe",
    };
    uint32_t r[4];
    cpuid(0, r);
    memcpy(id->vendor, &r[1], 4);
    memcpy(id->vendor + 4, &r[3], 4);
    memcpy(id->vendor + 8, &r[2], 4);
    id->vendor[12] = '\0';
    cpuid(1, r);
    id->stepping = r[0] & 0xf;
    id->model = (r[0] >> 4) & 0xf;
    id->family = (r[0] >> 8) & 0xf;
    if (id->family == 0xf) {
        id->family += (r[0] >> 20) & 0xff;
    }
    if (id->family >= 6) {
        id->model |= ((r[0] >> 16) & 0xf) << 4;
    }
    size_t used = 0;
    id->flags[0] = '\0';
    for (int bit = 0; bit < 32; bit++) {
        if ((r[3] & (1u << bit)) && edx_flags[bit]) {
            size_t n = strlen(edx_flags[bit]);
            if (used + n + 2 > sizeof(id->flags)) {
                break;
            }
            if (used) {
                id->flags[used++] = ' ';
            }
            memcpy(id->flags + used, edx_flags[bit], n + 1);
            used += n;
        }
    }
    cpuid(0x80000000u, r);
    id->model_name[0] = '\0';
    if (r[0] >= 0x80000004u) {
        for (uint32_t i = 0; i < 3; i++) {
            cpuid(0x80000002u + i, r);
            memcpy(id->model_name + i * 16, r, 16);
        }
        id->model_name[48] = '\0';
    }
}
