/*
 * Hostile: recurses far past the 1 MiB the kernel lets a user stack grow to (4 KiB per level, up
 * to 4 MiB). The stack must stop growing at the limit and the next page fault below it must end
 * the process; "SHOULD NOT PRINT" appears only if all 4 MiB were granted.
 */
#include <stdint.h>
#include <stdio.h>

#define FRAME 4096
#define LEVELS 1024 /* 4 MiB */

/* Returns a value that depends on every frame, so no frame can be optimised away. */
__attribute__((noinline)) static unsigned recurse(unsigned depth)
{
    volatile unsigned char frame[FRAME];
    /* Top of the frame first: the stack is touched downwards, page after page. */
    frame[FRAME - 1] = (unsigned char)depth;
    frame[0] = (unsigned char)depth;
    if (depth == LEVELS) {
        return frame[0];
    }
    unsigned below = recurse(depth + 1);
    /* The frame's address escapes across the call: no compiler may turn the recursion into a
     * loop (Clang does, for the plain form, and the stack then never grows). */
    __asm__ volatile("" : : "r"(frame) : "memory");
    return below + frame[FRAME - 1];
}

int main(void)
{
    printf("hostile_stack_overflow: about to recurse past 1 MiB of stack\n");
    unsigned sum = recurse(0);
    printf("SHOULD NOT PRINT (sum %u)\n", sum);
    return 0;
}
