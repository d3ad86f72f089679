#pragma once
#include <stdint.h>

#include <lib/bootinfo.h>

/*
 * Reads the Multiboot2 information at physical address boot_info_phys into the kernel's copy,
 * quietly: it runs before the screen console exists (the framebuffer is found here), so the
 * problems it finds wait for boot_info_print. The parts before a broken tag stay usable.
 */
void boot_info_load(uint32_t boot_info_phys);

/*
 * Prints the problems boot_info_load found (one line each), then the banner's details: loader,
 * command line, memory map, modules, text modules.
 */
void boot_info_print(void);

/* Bytes the boot information occupies (its total size field), for reserving them. */
uint32_t boot_info_size(void);

/* The parsed boot information; valid after boot_info_load(). */
const struct boot_info *boot_info_get(void);
