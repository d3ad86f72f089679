#pragma once

/*
 * The shape of virtual memory. Physical memory is mapped at KERNBASE (the "direct map"), so the
 * kernel reaches physical address p at KERNBASE + p, as long as p is below DIRECT_MAP_SIZE.
 */
#define KERNBASE        0xC0000000u
#define DIRECT_MAP_SIZE 0x30000000u /* 768 MiB: all of the kernel half */
#define PAGE_SIZE       4096u

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void *phys_to_virt(uint32_t phys)
{
    return (void *)(uintptr_t)(phys + KERNBASE);
}

static inline uint32_t virt_to_phys(const void *virt)
{
    return (uint32_t)(uintptr_t)virt - KERNBASE;
}
#endif
