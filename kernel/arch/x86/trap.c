/*
 * The IDT and the first C code of every trap. Exceptions from the kernel are bugs: they panic
 * with the exception decoded, every register and a backtrace (a single step is the one
 * exception: see debug.c). IRQs go to the driver that asked
 * for them.
 */
#include "trap.h"

#include <arch.h>
#include <big_lock.h>
#include <sched.h>
#include <counters.h>
#include <kprintf.h>
#include <ksyms.h>
#include <trace.h>

#include <arch/segments.h>
#include <arch/trapframe.h>
#include <arch/x86.h>

#include "ioapic.h"
#include "lapic.h"
#include "pic.h"
#include "smp.h"

/* trap_entry.S increments this counter with one incl, by its offset in event_counters. */
_Static_assert(offsetof(struct ringlet_counters, kernel_entries) == COUNTERS_KERNEL_ENTRIES,
               "the entry path's counter");
_Static_assert(sizeof(event_counters.kernel_entries) == 4, "incl writes 4 bytes");

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t zero;
    uint8_t type_attr;
    uint16_t offset_high;
} __attribute__((packed));

#define GATE_INTERRUPT_32 0x8e /* present, DPL 0, 32-bit interrupt gate (clears IF) */
#define GATE_TASK         0x85 /* present, DPL 0, task gate */
#define GATE_DPL3         0x60

static struct idt_gate idt[256];
static irq_handler irq_handlers[16];

extern const uint32_t trap_stub_table[VECTOR_COUNT_STUBS];
extern char syscall_entry[];

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "non-maskable interrupt",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved (15)",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point error",
    "virtualization",
    "control protection",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "hypervisor injection",
    "VMM communication",
    "security exception",
    "reserved (31)",
};

const char *trap_exception_name(uint32_t vector)
{
    return vector < 32 ? exception_names[vector] : "interrupt";
}

static void set_gate(unsigned vector, uint32_t handler, uint16_t selector, uint8_t type_attr)
{
    idt[vector].offset_low = handler & 0xffff;
    idt[vector].selector = selector;
    idt[vector].zero = 0;
    idt[vector].type_attr = type_attr;
    idt[vector].offset_high = handler >> 16;
}

void idt_init(void)
{
    for (unsigned v = 0; v < VECTOR_COUNT_STUBS; v++) {
        set_gate(v, trap_stub_table[v], KERNEL_CS, GATE_INTERRUPT_32);
    }
    /* A double fault switches to a task with its own stack: the current one may be gone. */
    set_gate(VECTOR_DOUBLE_FAULT, 0, DOUBLE_FAULT_TSS_SEL, GATE_TASK);
    /* The only gate ring 3 may use: `int 0x80` from any other vector is a protection fault. */
    set_gate(VECTOR_SYSCALL, (uint32_t)(uintptr_t)syscall_entry, KERNEL_CS,
             GATE_INTERRUPT_32 | GATE_DPL3);
    pic_init();
    idt_load();
}

void idt_load(void)
{
    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
    lidt(&idtr);
}

/* Whether the devices' interrupts come through the I/O APIC (after trap_use_ioapic) rather
 * than the 8259 PICs. */
static bool through_ioapic;

void trap_use_ioapic(void)
{
    pic_mask_all();
    through_ioapic = true;
    kprintf("irq: devices interrupt through the I/O APIC now (the 8259 PICs are masked)\n");
    for (unsigned irq = 0; irq < 16; irq++) {
        if (irq_handlers[irq]) {
            ioapic_route_isa(irq, (uint8_t)(VECTOR_IRQ_BASE + irq), lapic_id());
        }
    }
}

void arch_irq_register(unsigned irq, irq_handler handler)
{
    irq_handlers[irq] = handler;
    if (through_ioapic) {
        ioapic_route_isa(irq, (uint8_t)(VECTOR_IRQ_BASE + irq), lapic_id()); /* the boot CPU */
    } else {
        pic_unmask(irq);
    }
}

/* "writing 0x00000000 (not present)" for a page fault's error code and address. */
void trap_describe_page_fault(uint32_t error_code, uint32_t address, char *buf, size_t size)
{
    const char *access = (error_code & 0x10) ? "executing"
                         : (error_code & 2)  ? "writing"
                                             : "reading";
    const char *why = (error_code & 8)   ? "reserved bit set"
                      : (error_code & 1) ? "protection violation"
                                         : "not present";
    format_snprintf(buf, size, "%s 0x%08x (%s, %s mode)", access, address, why,
                    (error_code & 4) ? "user" : "kernel");
}

void trap_print_frame(const struct trap_frame *tf)
{
    uint32_t esp =
        trap_from_user(tf) ? tf->user_esp : (uint32_t)(uintptr_t)tf + TRAP_FRAME_KERNEL_SIZE;
    kprintf("  eax %08x  ebx %08x  ecx %08x  edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
    kprintf("  esi %08x  edi %08x  ebp %08x  esp %08x\n", tf->esi, tf->edi, tf->ebp, esp);
    char where[KSYMS_TEXT_SIZE];
    kprintf("  eip %08x%s  eflags %08x  cs %04x  ds %04x  error %08x\n", tf->eip,
            ksyms_describe(tf->eip, where), tf->eflags, tf->cs & 0xffff, tf->ds & 0xffff,
            tf->error_code);
    kprintf("  cr0 %08x  cr2 %08x  cr3 %08x  cr4 %08x\n", read_cr0(), read_cr2(), read_cr3(),
            read_cr4());
}

static _Noreturn void kernel_exception(const struct trap_frame *tf)
{
    char detail[96] = "";
    if (tf->vector == VECTOR_PAGE_FAULT) {
        trap_describe_page_fault(tf->error_code, read_cr2(), detail, sizeof(detail));
    } else if (tf->error_code) {
        format_snprintf(detail, sizeof(detail), "error code 0x%x", tf->error_code);
    }
    char where[KSYMS_TEXT_SIZE];
    kprintf("\npanic: %s (exception %u) in kernel mode at eip 0x%08x%s%s%s\n",
            trap_exception_name(tf->vector), tf->vector, tf->eip, ksyms_describe(tf->eip, where),
            detail[0] ? ": " : "", detail);
    trap_print_frame(tf);
    arch_print_backtrace(tf->eip, tf->ebp);
    panic_stop();
}

static bool irq_from_user; /* the interrupt being handled came in user mode */

bool arch_irq_from_user(void)
{
    return irq_from_user;
}

static void handle_irq(struct trap_frame *tf)
{
    unsigned irq = tf->vector - VECTOR_IRQ_BASE;
    if (through_ioapic) {
        lapic_eoi();
    } else if (pic_is_spurious(irq)) {
        return;
    } else {
        pic_end_of_interrupt(irq);
    }
    if (trace_enabled) {
        trace_irq(irq);
    }
    irq_from_user = trap_from_user(tf);
    if (irq_handlers[irq]) {
        irq_handlers[irq]();
    }
    irq_from_user = false;
    if (trap_from_user(tf)) {
        proc_returning_to_user(); /* preemption happens here, never inside the kernel */
    }
}

/* This CPU's own timer (the CPUs other than the boot CPU, which has the PIT's IRQ 0). */
static void handle_lapic_timer(struct trap_frame *tf)
{
    lapic_eoi();
    irq_from_user = trap_from_user(tf);
    sched_tick();
    irq_from_user = false;
    if (trap_from_user(tf)) {
        proc_returning_to_user();
    }
}

static void handle_trap(struct trap_frame *tf)
{
    if (tf->vector == VECTOR_PAGE_FAULT) {
        event_counters.page_faults++;
    }
    if (tf->vector >= VECTOR_IRQ_BASE && tf->vector < VECTOR_IRQ_BASE + 16) {
        handle_irq(tf);
        return;
    }
    if (tf->vector == VECTOR_LAPIC_TIMER) {
        handle_lapic_timer(tf);
        return;
    }
    if (trap_from_user(tf)) {
        trap_user_exception(tf);
        return;
    }
    if (tf->vector == VECTOR_PAGE_FAULT && trap_user_copy_fault(tf)) {
        return;
    }
    if (trap_segment_load_fault(tf)) {
        return;
    }
    if (debug_trap_in_kernel(tf)) {
        return;
    }
    kernel_exception(tf);
}

void trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector > VECTOR_LAPIC_TIMER && tf->vector < VECTOR_COUNT_STUBS) {
        smp_ipi(tf->vector); /* without the big lock: its holder may be waiting for this */
        return;
    }
    /* Every other way in takes the big lock; a way in from user mode gives it back in
     * trap_return, one from the kernel (an interrupt in the idle loop) here. */
    bool took = big_lock_enter();
    handle_trap(tf);
    if (took && !trap_from_user(tf)) {
        big_lock_leave();
    }
}
