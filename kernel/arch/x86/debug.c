/*
 * The debug exception (#DB, vector 1) taken in kernel mode. The only one the kernel expects is a
 * single step it did not ask for: a program that sets the trap flag and enters the kernel right
 * after MOV SS or POP SS (`mov %ax, %ss; int $0x80`) has the step's trap held back by the
 * instruction shadow and delivered on the first instruction of the kernel's entry, on real
 * CPUs (QEMU's TCG drops it). That is no kernel bug: clear TF in the saved EFLAGS so that no
 * further step traps, count it, and carry on. A user-mode #DB is the program's own (SIGTRAP).
 */
#include "trap.h"

#include <arch.h>

#include <arch/trapframe.h>
#include <arch/x86.h>

static uint32_t kernel_single_steps;

bool debug_trap_in_kernel(struct trap_frame *tf)
{
    if (tf->vector != VECTOR_DEBUG || trap_from_user(tf)) {
        return false;
    }
    uint32_t dr6 = read_dr6();
    if (!(dr6 & DR6_BS)) {
        return false; /* a breakpoint nobody set: a bug, explained by the caller's panic */
    }
    write_dr6(dr6 & ~DR6_BS); /* DR6's status bits stay set until software clears them */
    tf->eflags &= ~EFLAGS_TF;
    kernel_single_steps++;
    return true;
}

uint32_t arch_kernel_single_steps(void)
{
    return kernel_single_steps;
}

bool arch_single_step_in_kernel(void)
{
    uint32_t flags;
    __asm__ volatile("pushfl\n\t"
                     "orl %1, (%%esp)\n\t"
                     "popfl\n\t" /* TF on: the instruction after the next one traps */
                     "nop\n\t"
                     "pushfl\n\t"
                     "popl %0"
                     : "=r"(flags)
                     : "i"(EFLAGS_TF)
                     : "memory", "cc");
    return !(flags & EFLAGS_TF);
}
