/*
 * Traps the kernel must survive: a single-step debug exception in kernel mode (a program's trap
 * flag over MOV SS before `int 0x80` causes one on real CPUs; QEMU's TCG drops that case, so the
 * test sets the trap flag in kernel mode itself).
 */
#include <ktest.h>

#include <arch.h>

static void kernel_single_step_is_survived_and_counted(struct ktest *t)
{
    uint32_t before = arch_kernel_single_steps();
    KEXPECT(t, arch_single_step_in_kernel());
    KEXPECT(t, arch_kernel_single_steps() == before + 1);
    KEXPECT(t, arch_single_step_in_kernel()); /* and again: nothing was left behind */
    KEXPECT(t, arch_kernel_single_steps() == before + 2);
}

KTEST_SUITE(traps, KTEST_CASE(kernel_single_step_is_survived_and_counted));
