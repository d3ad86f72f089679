/* libFuzzer on elf_parse (kernel/lib/elf.c): any bytes as an executable. An accepted file's
 * segments must lie inside the file and inside user space, as elf.h promises. */
#include <lib/elf.h>

#include "check.h"

#define USER_TOP 0xc0000000u

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char *file = exact_copy(data, size);
    struct elf_image image;
    char error[ELF_ERROR_SIZE];
    if (elf_parse(file, size, USER_TOP, &image, error, sizeof(error)) == 0) {
        CHECK(image.segment_count > 0 && image.segment_count <= ELF_MAX_SEGMENTS);
        bool entry_in_code = false;
        for (unsigned i = 0; i < image.segment_count; i++) {
            const struct elf_segment *s = &image.segments[i];
            CHECK(s->filesz <= s->memsz);
            CHECK(s->offset <= size && s->filesz <= size - s->offset);
            CHECK(s->vaddr >= 0x1000 && s->memsz <= USER_TOP - s->vaddr);
            entry_in_code |= s->executable && image.entry >= s->vaddr &&
                             image.entry - s->vaddr < s->memsz;
        }
        CHECK(entry_in_code);
    } else {
        CHECK(memchr(error, 0, sizeof(error)) != NULL && error[0] != 0);
    }
    free(file);
    return 0;
}
