#pragma once
/*
 * x86 two-level page tables as plain data. Nothing here touches CR3 or the TLB, and page tables
 * are reached through a callback, so the host tests run this file against simulated physical
 * memory (tests/host/test_pagetable.py).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_PRESENT  0x001u
#define PTE_WRITABLE 0x002u
#define PTE_USER     0x004u
#define PTE_LARGE    0x080u /* in a directory entry: a 4 MiB page */
#define PTE_GLOBAL   0x100u
#define PTE_ADDRESS  0xfffff000u
#define PT_ENTRIES   1024u

#define PDX(va) ((uint32_t)(va) >> 22)
#define PTX(va) (((uint32_t)(va) >> 12) & 0x3ffu)

/* How page-table code reaches physical memory. */
struct pt_memory {
    /* A pointer through which the 4 KiB table at physical address phys can be read and written. */
    uint32_t *(*table)(void *ctx, uint32_t phys);
    /* A new zero-filled table; returns its physical address, 0 when memory is exhausted. */
    uint32_t (*alloc_table)(void *ctx);
    void *ctx;
};

/*
 * The page-table entry for va in the directory at pgdir_phys. With create, a missing page table
 * is allocated (its directory entry is present, writable and user: the page-table entries decide).
 * Returns NULL when there is no table (and create is false or allocation failed) or when va lies
 * in a 4 MiB page.
 */
uint32_t *pt_walk(const struct pt_memory *mem, uint32_t pgdir_phys, uint32_t va, bool create);
