/*
 * The FPU, MMX and SSE for user programs (the StuBS handout's optional task). The kernel itself
 * never uses them (-mgeneral-regs-only), so a process's state only changes while it runs: the
 * scheduler saves it with FXSAVE when the process leaves the CPU and restores it with FXRSTOR
 * when it comes back. New processes start from the clean state recorded at boot.
 */
#include <arch.h>
#include <lib/string.h>

#include <arch/x86.h>

#include "smp.h"

#define CR0_MP         0x00000002u /* monitor coprocessor */
#define CR0_EM         0x00000004u /* emulation: must be off */
#define CR0_TS         0x00000008u
#define CR0_NE         0x00000020u /* native FPU errors (exception 16) */
#define CR4_OSFXSR     0x00000200u
#define CR4_OSXMMEXCPT 0x00000400u

static uint8_t clean_state[ARCH_FPU_STATE_SIZE] __attribute__((aligned(ARCH_FPU_STATE_ALIGN)));

void fpu_enable_cpu(void)
{
    uint32_t cr0 = read_cr0();
    cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
    write_cr0(cr0);
    uint32_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    write_cr4(cr4);
}

void arch_fpu_init(void)
{
    fpu_enable_cpu();
    uint32_t mxcsr = 0x1f80; /* every SSE exception masked, round to nearest */
    __asm__ volatile("fninit\n\t"
                     "ldmxcsr %1\n\t"
                     "fxsave %0"
                     : "=m"(clean_state)
                     : "m"(mxcsr));
}

void arch_fpu_clean_state(void *area)
{
    memcpy(area, clean_state, ARCH_FPU_STATE_SIZE);
}

void arch_fpu_save(void *area)
{
    fxsave(area);
}

void arch_fpu_restore(const void *area)
{
    fxrstor(area);
}

void arch_fpu_sanitize(void *area)
{
    /* FXRSTOR faults on MXCSR bits the CPU does not have: keep only those MXCSR_MASK allows
     * (a mask of 0 in the saved area means the architectural default, 0xffbf). */
    uint32_t mask;
    memcpy(&mask, clean_state + 28, sizeof(mask));
    if (mask == 0) {
        mask = 0xffbf;
    }
    uint32_t mxcsr;
    memcpy(&mxcsr, (uint8_t *)area + 24, sizeof(mxcsr));
    mxcsr &= mask;
    memcpy((uint8_t *)area + 24, &mxcsr, sizeof(mxcsr));
    memcpy((uint8_t *)area + 28, &mask, sizeof(mask));
}
