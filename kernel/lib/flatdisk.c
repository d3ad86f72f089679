#include <lib/flatdisk.h>

#include <lib/bytes.h>
#include <lib/format.h>
#include <lib/string.h>

#define PAGE         4096u
#define HEADER_FIXED 16u

int flatdisk_parse(const void *data, size_t size, struct flatdisk_program *programs, char *error,
                   size_t error_size)
{
    const uint8_t *disk = data;
    if (size < HEADER_FIXED || memcmp(disk, FLATDISK_MAGIC, 8) != 0) {
        format_snprintf(error, error_size, "not a flat ramdisk (bad magic)");
        return -1;
    }
    uint32_t version = read_le32(disk + 8);
    uint32_t count = read_le32(disk + 12);
    if (version != FLATDISK_VERSION) {
        format_snprintf(error, error_size, "flat ramdisk version %u, expected %u", version,
                        FLATDISK_VERSION);
        return -1;
    }
    if (count > FLATDISK_MAX_PROGRAMS) {
        format_snprintf(error, error_size, "%u programs, more than %u", count,
                        FLATDISK_MAX_PROGRAMS);
        return -1;
    }
    uint64_t header = HEADER_FIXED + (uint64_t)count * 4;
    if (header > size) {
        format_snprintf(error, error_size, "header past the end of the ramdisk");
        return -1;
    }
    uint64_t offset = (header + PAGE - 1) / PAGE * PAGE;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t program_size = read_le32(disk + HEADER_FIXED + i * 4);
        if (offset > size || program_size > size - offset) {
            format_snprintf(error, error_size, "program %u (%u bytes) past the end of the ramdisk",
                            i, program_size);
            return -1;
        }
        programs[i].offset = (uint32_t)offset;
        programs[i].size = program_size;
        offset = (offset + program_size + PAGE - 1) / PAGE * PAGE;
    }
    return (int)count;
}
