/* libFuzzer on the flat ramdisk header (kernel/lib/flatdisk.c): every program it lists must be
 * page aligned and inside the data. */
#include <lib/flatdisk.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char *disk = exact_copy(data, size);
    struct flatdisk_program programs[FLATDISK_MAX_PROGRAMS];
    char error[FLATDISK_ERROR_SIZE];
    int n = flatdisk_parse(disk, size, programs, error, sizeof(error));
    CHECK(n >= -1 && n <= FLATDISK_MAX_PROGRAMS);
    for (int i = 0; i < n; i++) {
        CHECK(programs[i].offset % 4096 == 0);
        CHECK(programs[i].offset <= size && programs[i].size <= size - programs[i].offset);
    }
    if (n < 0) {
        CHECK(error[0] != 0 && memchr(error, 0, sizeof(error)) != NULL);
    }
    free(disk);
    return 0;
}
