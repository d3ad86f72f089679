#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/trapframe.h>

typedef void (*irq_handler)(void);

/* Fills the IDT with the generated stubs and the double-fault task gate; remaps the PICs. */
void idt_init(void);

/* An exception in ring 3 (process.c): decodes it into a struct user_fault and hands it to
 * proc_user_fault(), which returns only when the process may go on. */
void trap_user_exception(struct trap_frame *tf);

void trap_dispatch(struct trap_frame *tf);

/*
 * A page fault in kernel mode: when it happened in a user copy (usercopy.S) on a user address,
 * resolves it through the ordinary fault path or sends the copy to its fix-up, and returns
 * true. Returns false for every other kernel fault (a bug: the caller panics).
 */
bool trap_user_copy_fault(struct trap_frame *tf);

/*
 * A fault in kernel mode while trap_return popped a user segment selector that is no longer
 * valid: replaces the selector with the null one so the pop succeeds, and returns true. When
 * iret itself refuses the user's SS, kills the current process (never returns). Returns false
 * for every other fault.
 */
bool trap_segment_load_fault(struct trap_frame *tf);

/* A single-step debug exception taken in kernel mode (debug.c): clears TF in tf's saved EFLAGS,
 * counts it and returns true, so the kernel carries on. False for anything else. */
bool debug_trap_in_kernel(struct trap_frame *tf);
const char *trap_exception_name(uint32_t vector);
void trap_print_frame(const struct trap_frame *tf);
void trap_describe_page_fault(uint32_t error_code, uint32_t address, char *buf, size_t size);
void arch_irq_register(unsigned irq, irq_handler handler);

/* From now on the devices' interrupts come through the I/O APIC to this CPU (the boot CPU):
 * the PICs are masked, and every IRQ with a handler is routed (smp.c, once the local APIC is
 * on). */
void trap_use_ioapic(void);
