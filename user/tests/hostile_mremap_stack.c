/*
 * Hostile: moves a PROT_NONE page with mremap(MREMAP_MAYMOVE | MREMAP_FIXED) onto the page its
 * own stack pointer is in (Linux allows it: the stack is just memory, and the move replaces
 * it), then calls a function. The call's push faults on the page the program made
 * inaccessible: the process dies alone, and every page it had is given back.
 */
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>

#include <abi/mman.h>

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

static __attribute__((noinline)) int after_the_move(int n)
{
    printf("SHOULD NOT PRINT %d\n", n);
    return n;
}

int main(void)
{
    long none = syscall_raw(SYS_mmap2, 0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char here;
    uint32_t stack_page = (uint32_t)(uintptr_t)&here & ~4095u;
    printf("hostile_mremap_stack: about to move a PROT_NONE page onto the stack page 0x%08x\n",
           stack_page);
    long moved = syscall_raw(SYS_mremap, none, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED,
                             (long)stack_page, 0);
    if (moved != (long)stack_page) {
        printf("hostile_mremap_stack: mremap said %ld\n", moved);
        return 1;
    }
    return after_the_move(1);
}
