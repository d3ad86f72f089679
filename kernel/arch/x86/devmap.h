#pragma once
/*
 * The device window: physical ranges outside RAM that the kernel must reach, such as a
 * framebuffer, mapped above the direct map in the kernel half every address space shares.
 */
#include <stdint.h>

/*
 * Maps the physical range [phys, phys + size) into the device window with 4 MiB pages
 * (writable, global, write-through) and returns the virtual address of phys, or NULL when the
 * range lies (partly) above 4 GiB or the window is full. Call before vm_init(): the mapping goes
 * into the boot page directory, and vm_init() carries it into the kernel's (devmap_install).
 */
void *devmap_map(uint64_t phys, uint64_t size);

/* Copies the device window's directory entries into pgdir (the kernel's page directory). */
void devmap_install(uint32_t *pgdir);
