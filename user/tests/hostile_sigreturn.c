/*
 * Hostile: calls rt_sigreturn with a forged frame that asks for IOPL 3 and the interrupt flag
 * off, the kernel's code and stack segments, and a return into a function that then executes
 * `cli`. sigreturn must take only the flags a program may change and Ringlet's own user
 * segments: the function runs in ring 3 with IOPL 0, so `cli` is a general protection fault
 * and the process dies alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

static void landing(void)
{
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    printf("hostile_sigreturn: landed in ring %u; trying cli\n", cs & 3u);
    __asm__ volatile("cli");
    printf("SHOULD NOT PRINT: cli worked, IOPL was granted\n");
    for (;;) {
    }
}

/* The rt frame as rt_sigreturn reads it at esp - 4: sig, &info, &uc, siginfo, ucontext. */
struct forged {
    int32_t sig;
    uint32_t pinfo;
    uint32_t puc;
    uint8_t info[128];
    uint32_t uc_flags, uc_link, ss_sp, ss_flags, ss_size;
    uint16_t gs, gsh, fs, fsh, es, esh, ds, dsh;
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax, trapno, err, eip;
    uint16_t cs, csh;
    uint32_t eflags, esp_at_signal;
    uint16_t ss, ssh;
    uint32_t fpstate, oldmask, cr2;
    uint64_t sigmask;
};

static uint8_t landing_stack[8192] __attribute__((aligned(16)));
static struct forged frame;

int main(void)
{
    memset(&frame, 0, sizeof(frame));
    frame.ds = frame.es = frame.fs = frame.gs = 0x23; /* user data: printf must still work */
    frame.cs = 0x08;                                  /* the kernel's code segment */
    frame.ss = 0x10;
    frame.eip = (uint32_t)(uintptr_t)landing;
    frame.esp = (uint32_t)(uintptr_t)(landing_stack + sizeof(landing_stack) - 16);
    frame.eflags = 0x3000 | 0x2; /* IOPL 3, interrupts off */
    printf("hostile_sigreturn: about to rt_sigreturn with IOPL 3 and kernel segments\n");
    /* rt_sigreturn reads the frame at esp - 4 (where the return address was): esp = &sig. */
    __asm__ volatile("mov %0, %%esp\n\t"
                     "mov $173, %%eax\n\t"
                     "int $0x80"
                     :
                     : "r"((uint32_t)(uintptr_t)&frame)
                     : "eax", "memory");
    printf("SHOULD NOT PRINT: rt_sigreturn returned\n");
    return 0;
}
