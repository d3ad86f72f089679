/*
 * Hostile: points esp at 0x10 and pushes. The push writes address 0xc in the never-mapped page
 * 0, far from the stack, so the kernel must end the process on the page fault rather than grow
 * a "stack" there.
 */
#include <stdint.h>
#include <stdio.h>

/* The real esp, in memory that stays addressable while esp is bad. */
static uint32_t saved_esp;

int main(void)
{
    printf("hostile_bad_esp_push: about to set esp to 0x10 and push\n");
    __asm__ volatile("movl %%esp, %0\n\t"
                     "movl $0x10, %%esp\n\t"
                     "pushl %%eax\n\t"
                     "movl %0, %%esp"
                     : "+m"(saved_esp)
                     :
                     : "memory");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
