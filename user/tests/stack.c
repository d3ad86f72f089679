/*
 * Stack growth: each level of recursion takes 1 KiB with alloca, fills it, and goes one level
 * deeper until 600 KiB below main's frame are in use, touching the stack downwards a piece at a
 * time so the kernel can grow it one page fault at a time. On the way back every level checks
 * its piece is intact and adds it to a checksum, which must match the one computed directly.
 */
#include <alloca.h>
#include <stdint.h>
#include <stdio.h>

#define TARGET_KIB 600
#define CHUNK      1024

static uintptr_t stack_top;
static unsigned deepest;
static int damaged;

static unsigned char pattern(unsigned depth, unsigned i)
{
    return (unsigned char)(depth * 31 + i);
}

/* Returns the sum of the pattern bytes of this level and every level below it. */
__attribute__((noinline)) static unsigned long descend(unsigned depth)
{
    volatile unsigned char *chunk = alloca(CHUNK);
    for (unsigned i = 0; i < CHUNK; i++) {
        chunk[i] = pattern(depth, i);
    }
    unsigned long sum = 0;
    if (stack_top - (uintptr_t)chunk < TARGET_KIB * 1024) {
        sum = descend(depth + 1);
    } else {
        deepest = depth;
    }
    for (unsigned i = 0; i < CHUNK; i++) {
        if (chunk[i] != pattern(depth, i)) {
            damaged++;
        }
        sum += chunk[i];
    }
    return sum;
}

int main(void)
{
    volatile unsigned char top;
    stack_top = (uintptr_t)&top;

    unsigned long sum = descend(0);

    unsigned long expected = 0;
    for (unsigned depth = 0; depth <= deepest; depth++) {
        for (unsigned i = 0; i < CHUNK; i++) {
            expected += pattern(depth, i);
        }
    }
    if (damaged != 0 || sum != expected) {
        printf("stack: FAIL %d damaged bytes, checksum %lu, want %lu\n", damaged, sum, expected);
        return 1;
    }
    printf("stack: %d KiB ok\n", TARGET_KIB);
    return 0;
}
