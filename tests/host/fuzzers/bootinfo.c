/* libFuzzer on the Multiboot2 boot information parser (kernel/lib/bootinfo.c): the strings it
 * hands back must be terminated inside the data, and its counts within their arrays. */
#include <lib/bootinfo.h>

#include "check.h"

static void check_string(const char *s, const unsigned char *data, size_t size)
{
    if (s == NULL) {
        return;
    }
    if (!inside(s, 1, data, size)) {
        CHECK(s[0] == 0); /* "" when absent: a constant, not the data */
        return;
    }
    size_t left = size - (size_t)((const unsigned char *)s - data);
    CHECK(memchr(s, 0, left) != NULL);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* The boot loader puts the information on an 8-byte boundary; malloc's are 16. */
    unsigned char *copy = exact_copy(data, size);
    struct bootinfo_limits limits = { 0x100000, 0x200000 };
    static struct boot_info info;
    bootinfo_parse(copy, size, &limits, &info);
    CHECK(info.region_count <= BOOTINFO_MAX_REGIONS);
    CHECK(info.module_count <= BOOTINFO_MAX_MODULES);
    CHECK(info.note_count <= BOOTINFO_MAX_NOTES);
    check_string(info.cmdline, copy, size);
    check_string(info.loader_name, copy, size);
    for (unsigned i = 0; i < info.module_count; i++) {
        check_string(info.modules[i].cmdline, copy, size);
        CHECK(info.modules[i].start <= info.modules[i].end);
    }
    (void)bootinfo_usable_bytes(&info);
    for (unsigned i = 0; i < info.region_count; i++) {
        CHECK(bootinfo_region_type_name(info.regions[i].type) != NULL);
    }
    CHECK(bootinfo_module_kind_name(bootinfo_classify_module(copy, size)) != NULL);
    free(copy);
    return 0;
}
