/*
 * The x86 side of processes: the first trap frame of a new process, the kernel stack in the
 * TSS, idling, and turning user-mode exceptions into struct user_fault.
 */
#include <arch.h>
#include <cpu.h>
#include <proc.h>

#include <abi/signal.h>
#include <arch/segments.h>
#include <arch/trapframe.h>
#include <arch/x86.h>

#include "gdt.h"
#include "trap.h"

#define EFLAGS_RESERVED 0x002u

/* context.S: calls proc_first_run(), then leaves through trap_return. */
extern char first_return[];

/* What arch_switch pops: edi, esi, ebx, ebp, then its return address (arch/trapframe.h). */
struct switch_frame {
    uint32_t edi;
    uint32_t esi;
    uint32_t ebx;
    uint32_t ebp;
    uint32_t return_address;
};

_Static_assert(offsetof(struct cpu, proc) == CPU_PROC &&
                   offsetof(struct cpu, preemption_requested) == CPU_PREEMPTION_REQUESTED &&
                   sizeof(((struct cpu *)0)->preemption_requested) == 1,
               "syscall_entry reads this CPU's proc and preemption_requested through %fs");
_Static_assert(offsetof(struct proc, signals.pending) == PROC_SIGNALS_PENDING &&
                   sizeof(((struct proc *)0)->signals.pending) == 8,
               "syscall_entry tests current->signals.pending at PROC_SIGNALS_PENDING");
_Static_assert(offsetof(struct proc, signals.restore_saved) == PROC_SIGNALS_RESTORE_SAVED &&
                   sizeof(((struct proc *)0)->signals.restore_saved) == 1,
               "syscall_entry tests current->signals.restore_saved as a byte");
_Static_assert(offsetof(struct proc, signals.stop_pending) == PROC_SIGNALS_STOP_PENDING &&
                   sizeof(((struct proc *)0)->signals.stop_pending) == 1,
               "syscall_entry tests current->signals.stop_pending as a byte");
_Static_assert(offsetof(struct switch_frame, edi) == SWITCH_FRAME_EDI,
               "arch_switch pops edi first");
_Static_assert(offsetof(struct switch_frame, esi) == SWITCH_FRAME_ESI, "then esi");
_Static_assert(offsetof(struct switch_frame, ebx) == SWITCH_FRAME_EBX, "then ebx");
_Static_assert(offsetof(struct switch_frame, ebp) == SWITCH_FRAME_EBP, "then ebp");
_Static_assert(offsetof(struct switch_frame, return_address) == SWITCH_FRAME_RETURN_ADDRESS,
               "and returns");
_Static_assert(sizeof(struct switch_frame) == SWITCH_FRAME_SIZE, "whole switch frame");

uint32_t arch_prepare_user_entry(uint32_t kstack_top, uint32_t entry, uint32_t user_esp)
{
    arch_restart_user(kstack_top, entry, user_esp);
    struct trap_frame *tf = (struct trap_frame *)(uintptr_t)(kstack_top - sizeof(*tf));
    struct switch_frame *sf = (struct switch_frame *)tf - 1;
    *sf = (struct switch_frame){ .return_address = (uint32_t)(uintptr_t)first_return };
    return (uint32_t)(uintptr_t)sf;
}

uint32_t arch_prepare_fork(uint32_t parent_kstack_top, uint32_t child_kstack_top)
{
    const struct trap_frame *parent =
        (const struct trap_frame *)(uintptr_t)(parent_kstack_top - sizeof(struct trap_frame));
    struct trap_frame *tf = (struct trap_frame *)(uintptr_t)(child_kstack_top - sizeof(*tf));
    *tf = *parent;
    tf->eax = 0; /* fork returns 0 in the child */
    struct switch_frame *sf = (struct switch_frame *)tf - 1;
    *sf = (struct switch_frame){ .return_address = (uint32_t)(uintptr_t)first_return };
    return (uint32_t)(uintptr_t)sf;
}

void arch_restart_user(uint32_t kstack_top, uint32_t entry, uint32_t esp)
{
    struct trap_frame *tf = (struct trap_frame *)(uintptr_t)(kstack_top - sizeof(*tf));
    *tf = (struct trap_frame){
        .ds = USER_DS,
        .es = USER_DS,
        .fs = USER_DS,
        .gs = USER_DS,
        .eip = entry,
        .cs = USER_CS,
        .eflags = EFLAGS_RESERVED | EFLAGS_IF, /* IOPL 0: no in/out, cli or hlt in ring 3 */
        .user_esp = esp,
        .user_ss = USER_DS,
    };
}

void arch_ipc_set_outputs(uint32_t kstack_top, uint32_t label, const uint32_t words[3],
                          uint32_t len, uint32_t cap)
{
    struct trap_frame *tf = (struct trap_frame *)(uintptr_t)(kstack_top - sizeof(*tf));
    tf->ebx = label;
    tf->edx = words[0];
    tf->esi = words[1];
    tf->edi = words[2];
    tf->ecx = len;
    tf->ebp = cap;
}

void arch_syscall_restart_as(uint32_t kstack_top, uint32_t number)
{
    struct trap_frame *tf = (struct trap_frame *)(uintptr_t)(kstack_top - sizeof(*tf));
    tf->error_code = number; /* the call's number, as syscall_entry saved it (orig_eax) */
}

void arch_set_user_stack(uint32_t kstack_top, uint32_t esp)
{
    struct trap_frame *tf = (struct trap_frame *)(uintptr_t)(kstack_top - sizeof(*tf));
    tf->user_esp = esp;
}

void arch_set_kernel_stack(uint32_t top)
{
    gdt_set_kernel_stack(top);
}

void arch_idle(void)
{
    sti_hlt_cli();
}

static int signal_for(uint32_t vector)
{
    switch (vector) {
    case 0:  /* divide error */
    case 16: /* x87 error */
    case 19: /* SIMD error */
        return SIGFPE;
    case 6: /* invalid opcode */
        return SIGILL;
    case 3: /* breakpoint */
    case 1: /* debug */
        return SIGTRAP;
    default:
        return SIGSEGV;
    }
}

void trap_user_exception(struct trap_frame *tf)
{
    if (tf->vector == VECTOR_PAGE_FAULT) {
        /* The common case, and mostly one the fault path settles (stack growth, demand-zero,
         * copy-on-write): no name or signal lookup for it. */
        struct user_fault fault = {
            .what = "page fault",
            .signal = SIGSEGV,
            .pc = tf->eip,
            .sp = tf->user_esp,
            .error_code = tf->error_code,
            .is_page_fault = 1,
            .address = read_cr2(),
            .write = (tf->error_code & 2) != 0,
            .present = (tf->error_code & 1) != 0,
        };
        proc_user_fault(&fault);
        return;
    }
    struct user_fault fault = {
        .what = trap_exception_name(tf->vector),
        .signal = signal_for(tf->vector),
        .pc = tf->eip,
        .sp = tf->user_esp,
        .error_code = tf->error_code,
    };
    proc_user_fault(&fault);
}
