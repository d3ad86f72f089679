/*
 * Hostile: points esp at 0x10 and makes a system call (getpid). int 0x80 switches to the kernel
 * stack, and a kernel that takes its arguments from registers never touches the user stack, so
 * the call itself must work and return; the kernel must neither crash nor trust esp. The push
 * after it is the first use of the bad stack: it writes the never-mapped address 0xc, and the
 * kernel must end the process on that page fault.
 */
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>

/* The real esp, in memory that stays addressable while esp is bad. */
static uint32_t saved_esp;

int main(void)
{
    printf("hostile_bad_esp_syscall: about to set esp to 0x10 and call getpid\n");
    __asm__ volatile("movl %%esp, %0\n\t"
                     "movl $0x10, %%esp\n\t"
                     "movl %1, %%eax\n\t"
                     "int $0x80\n\t"
                     "pushl %%eax\n\t"
                     "movl %0, %%esp"
                     : "+m"(saved_esp)
                     : "i"(SYS_getpid)
                     : "eax", "memory");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
