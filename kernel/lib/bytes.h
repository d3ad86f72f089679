#pragma once
/*
 * Little-endian fields read byte by byte: the boot information, ELF files and the flat ramdisk
 * lie wherever they were loaded, so their fields may be unaligned.
 */
#include <stdint.h>

static inline uint16_t read_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t read_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t read_le64(const uint8_t *p)
{
    return (uint64_t)read_le32(p) | (uint64_t)read_le32(p + 4) << 32;
}
