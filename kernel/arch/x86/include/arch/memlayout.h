#pragma once

/*
 * The shape of virtual memory. Physical memory is mapped at KERNBASE (the "direct map"), so the
 * kernel reaches physical address p at KERNBASE + p, as long as p is below DIRECT_MAP_SIZE.
 */
#ifdef __ASSEMBLER__
#define UNSIGNED(n) n /* assemblers take no C suffixes (Clang's refuses them) */
#else
#define UNSIGNED(n) n##u
#endif

#define KERNBASE        UNSIGNED(0xC0000000)
#define DIRECT_MAP_SIZE UNSIGNED(0x30000000) /* 768 MiB: all of the kernel half */
#define PAGE_SIZE       UNSIGNED(4096)

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
