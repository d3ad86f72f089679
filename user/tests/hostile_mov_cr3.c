/*
 * Hostile: reads cr3 and writes it back (harmless if it were allowed, so a wrong kernel shows
 * SHOULD NOT PRINT rather than a crash). Control registers are privileged: a general protection
 * fault in ring 3.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_mov_cr3: about to move cr3 to eax and back\n");
    __asm__ volatile("movl %%cr3, %%eax\n\t"
                     "movl %%eax, %%cr3"
                     :
                     :
                     : "eax", "memory");
    printf("SHOULD NOT PRINT\n");
    return 0;
}
