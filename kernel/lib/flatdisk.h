#pragma once
/*
 * The flat ramdisk: flat binaries packed by ringlet (StuBS's image builder), read in place.
 *
 *   offset 0:  "RINGFLAT"            magic, 8 bytes
 *   offset 8:  u32 version           1
 *   offset 12: u32 count             number of programs
 *   offset 16: u32 size[count]       bytes of each program
 *   then the programs, each starting on a 4096-byte boundary (the first one at the first
 *   boundary after the header), so a page-aligned module's programs can be mapped, not copied.
 */
#include <stddef.h>
#include <stdint.h>

#define FLATDISK_MAGIC        "RINGFLAT"
#define FLATDISK_VERSION      1u
#define FLATDISK_MAX_PROGRAMS 32
#define FLATDISK_ERROR_SIZE   96

struct flatdisk_program {
    uint32_t offset; /* from the start of the ramdisk; a multiple of 4096 */
    uint32_t size;
};

/*
 * Reads the header of the ramdisk in data (size bytes). Returns the number of programs (their
 * places in programs[]) or -1 with a one-line reason in error: bad magic or version, more than
 * FLATDISK_MAX_PROGRAMS, a header or a program past the end of the data.
 */
int flatdisk_parse(const void *data, size_t size, struct flatdisk_program *programs, char *error,
                   size_t error_size);
