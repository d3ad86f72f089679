/*
 * The exception table: the fix-up side of the user copies in usercopy.S: a page fault in kernel
 * mode at one of their instructions is a fault on a user page that the copy touched for a system
 * call. It goes through the same fault path as a user-mode fault (proc_copy_fault); when that path
 * cannot map the page, the copy resumes at its fix-up and returns -EFAULT to the system call. Any
 * other kernel-mode fault is a kernel bug and still panics (trap.c).
 *
 * The same idea covers the one other place where the kernel loads something a program chose:
 * the segment registers that trap_return pops. A program may clear the TLS entry its %gs
 * still names (set_thread_area); popping that selector faults, and the pop is retried with
 * the null selector, as Linux does. The program faults later if it uses %gs, in user mode.
 * A stack segment cannot be null in ring 3: when iret refuses the program's SS, the program
 * is killed (SIGILL, as in Linux).
 */
#include <arch.h>
#include <proc.h>

#include <arch/memlayout.h>
#include <arch/trapframe.h>
#include <arch/x86.h>

#include <abi/signal.h>

#include "trap.h"

struct ex_entry {
    uint32_t fault_eip;
    uint32_t fixup_eip;
};

extern const struct ex_entry ex_table_start[];
extern const struct ex_entry ex_table_end[];

static uint32_t fixup_for(uint32_t eip)
{
    for (const struct ex_entry *e = ex_table_start; e < ex_table_end; e++) {
        if (e->fault_eip == eip) {
            return e->fixup_eip;
        }
    }
    return 0;
}

bool trap_user_copy_fault(struct trap_frame *tf)
{
    uint32_t fixup = fixup_for(tf->eip);
    uint32_t address = read_cr2();
    if (fixup == 0 || address >= KERNBASE) {
        return false; /* not a user copy, or the kernel side of one: a kernel bug */
    }
    bool write = (tf->error_code & 2) != 0;
    bool present = (tf->error_code & 1) != 0;
    if (proc_copy_fault(address, write, present) == 0) {
        return true; /* mapped: the copy instruction runs again */
    }
    tf->eip = fixup;
    return true;
}

extern char trap_return_segments[];
extern char trap_return_segments_end[];
extern char trap_return_iret[];

bool trap_segment_load_fault(struct trap_frame *tf)
{
    bool segment_fault =
        tf->vector == 10 || tf->vector == 11 || tf->vector == 12 || tf->vector == 13;
    if (!segment_fault) {
        return false;
    }
    if (tf->eip == (uint32_t)(uintptr_t)trap_return_iret) {
        /* iret refused the user's SS (a TLS entry the program loaded into SS and then changed
         * or cleared): the program cannot go on, as in Linux, where iret_exc sends SIGILL. */
        proc_kill_current(SIGILL, "invalid stack segment on return to user mode");
    }
    if (tf->eip < (uint32_t)(uintptr_t)trap_return_segments ||
        tf->eip >= (uint32_t)(uintptr_t)trap_return_segments_end) {
        return false;
    }
    /* The selector being popped is the word at the faulting stack pointer: make it the null
     * selector, which any data segment register may hold, and pop again. */
    uint32_t *slot = (uint32_t *)((uintptr_t)tf + TRAP_FRAME_KERNEL_SIZE);
    *slot = 0;
    return true;
}

uint32_t arch_user_stack_pointer(uint32_t kstack_top)
{
    const struct trap_frame *tf =
        (const struct trap_frame *)(uintptr_t)(kstack_top - sizeof(struct trap_frame));
    return tf->user_esp;
}
