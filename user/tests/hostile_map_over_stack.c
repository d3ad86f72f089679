/*
 * Hostile: maps PROT_NONE with MAP_FIXED over the page its own stack pointer is in (Linux allows
 * it: the stack is just memory), then calls a function. The call's push faults on a page the
 * program made inaccessible: the process dies alone, and its mapping is given back.
 */
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>

#define PROT_NONE     0
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20

static __attribute__((noinline)) void call_me(void)
{
    printf("SHOULD NOT PRINT\n");
}

int main(void)
{
    volatile char here;
    uint32_t page = (uint32_t)(uintptr_t)&here & ~4095u;
    printf("hostile_map_over_stack: about to map PROT_NONE over the stack page 0x%08x\n", page);
    long r = syscall_raw(SYS_mmap2, (long)page, 4096, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (r != (long)page) {
        printf("hostile_map_over_stack: mmap2 said %ld\n", r);
        return 1;
    }
    call_me();
    return 0;
}
