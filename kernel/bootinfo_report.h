#pragma once
#include <stdint.h>

#include <lib/bootinfo.h>

/*
 * Reads the Multiboot2 information at physical address boot_info_phys into the kernel's copy
 * and reports what the boot loader handed over. Problems in the information are printed, one
 * line each; the parts before a broken tag stay usable.
 */
void boot_info_load(uint32_t boot_info_phys);

/* Prints the banner's details: loader, command line, memory map, modules, text modules. */
void boot_info_print(void);

/* Bytes the boot information occupies (its total size field), for reserving them. */
uint32_t boot_info_size(void);

/* The parsed boot information; valid after boot_info_load(). */
const struct boot_info *boot_info_get(void);
