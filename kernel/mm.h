#pragma once
/*
 * A process's memory: its address space (page tables and areas) and the heap and stack bounds,
 * shared by the threads of a process (CLONE_VM) and counted: the last one to let go destroys
 * the address space and gives back every frame.
 */
#include <stdbool.h>
#include <stdint.h>

#include <vm.h>

struct mm {
    unsigned refs;
    struct vm_space space;
    uint32_t brk_start; /* the heap: [brk_start, brk) */
    uint32_t brk;
    uint32_t stack_limit; /* lowest address the main stack may grow to */
    uint32_t arg_start;   /* the argument strings on the stack, for /proc/PID/cmdline */
    uint32_t arg_end;
    char exe[256]; /* the program's absolute path, for /proc/PID/exe */
};

/* A new, empty memory (one reference), or NULL when out of memory. */
struct mm *mm_new(void);

/* A copy-on-write copy of from for fork (one reference), or NULL when out of memory. */
struct mm *mm_fork(struct mm *from);

/* Takes one more reference. */
void mm_get(struct mm *mm);

/* Drops a reference; the last destroys the address space (switching the CPU to the kernel's
 * page directory if it was this one) and frees the mm. */
void mm_put(struct mm *mm);

/* Whether [start, end) is free of areas, the heap and the stack's reach: where a new mapping
 * may go without replacing anything (MAP_FIXED_NOREPLACE, mremap growing in place). */
bool mm_range_unused(const struct mm *mm, uint32_t start, uint32_t end);

/* Removes [start, end) (page-aligned) from the areas and gives back the pages that were
 * touched (munmap). Returns 0, or -ENOMEM when cutting an area needed room (nothing changed). */
int mm_unmap(struct mm *mm, uint32_t start, uint32_t end);

/* Where mappings without MAP_FIXED go (mmap2, mremap): at or above the floor (the heap's top),
 * below the ceiling (a guard gap under the lowest the stack may grow to). */
uint32_t mm_map_floor(const struct mm *mm);
uint32_t mm_map_ceiling(const struct mm *mm);
