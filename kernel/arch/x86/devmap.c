/*
 * The device window, 0xf8000000 .. 0xffc00000: above the direct map (which ends at 0xf0000000)
 * and the kernel stacks (0xf0000000, one page table). A framebuffer usually sits at 0x80000000
 * or higher in physical memory, out of the direct map's reach, so it is mapped here instead.
 * The last 4 MiB of the address space stay unmapped.
 */
#include "devmap.h"

#include <arch/memlayout.h>
#include <arch/pagetable.h>
#include <arch/x86.h>

#include <stdbool.h>
#include <stddef.h>

#define DEVICE_AREA       0xf8000000u
#define DEVICE_AREA_END   0xffc00000u
#define LARGE_PAGE        0x400000u
#define FOUR_GIB          0x100000000ull
#define PTE_WRITE_THROUGH 0x008u
#define DEVICE_PAGES      ((DEVICE_AREA_END - DEVICE_AREA) / LARGE_PAGE)

extern uint32_t boot_page_dir[];

static uint32_t device_pdes[DEVICE_PAGES]; /* directory entries from PDX(DEVICE_AREA) on */
static uint32_t pages_used;
static bool installed;

void *devmap_map(uint64_t phys, uint64_t size)
{
    if (installed || size == 0 || phys >= FOUR_GIB || size > FOUR_GIB - phys) {
        return NULL;
    }
    uint64_t first = phys & ~(uint64_t)(LARGE_PAGE - 1);
    uint64_t pages = (phys + size - first + LARGE_PAGE - 1) / LARGE_PAGE;
    if (pages > DEVICE_PAGES - pages_used) {
        return NULL;
    }
    uint32_t va = DEVICE_AREA + pages_used * LARGE_PAGE;
    for (uint32_t i = 0; i < pages; i++) {
        uint32_t pde = (uint32_t)(first + (uint64_t)i * LARGE_PAGE) | PTE_PRESENT | PTE_WRITABLE |
                       PTE_LARGE | PTE_GLOBAL | PTE_WRITE_THROUGH;
        device_pdes[pages_used + i] = pde;
        boot_page_dir[PDX(va) + i] = pde;
        invlpg(va + i * LARGE_PAGE);
    }
    pages_used += (uint32_t)pages;
    return (void *)(uintptr_t)(va + (uint32_t)(phys - first));
}

void devmap_install(uint32_t *pgdir)
{
    for (uint32_t i = 0; i < pages_used; i++) {
        pgdir[PDX(DEVICE_AREA) + i] = device_pdes[i];
    }
    installed = true;
}
