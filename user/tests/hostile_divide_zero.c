/*
 * Hostile: divides by zero with divl: a divide error (#DE). The kernel must end the
 * process.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("hostile_divide_zero: about to divide 1 by 0\n");
    uint32_t quotient;
    __asm__ volatile("divl %2" : "=a"(quotient) : "a"(1), "r"(0), "d"(0) : "cc");
    (void)quotient;
    printf("SHOULD NOT PRINT\n");
    return 0;
}
