#pragma once
/*
 * ELF32 executables for i386, checked before anything is loaded. Pure C, host-tested with
 * hypothesis on generated and mutated files (tests/host/test_elf.py).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_ERROR_SIZE   96

/* One PT_LOAD segment: file bytes [offset, offset + filesz) at vaddr, zeros up to memsz. */
struct elf_segment {
    uint32_t vaddr;
    uint32_t memsz;
    uint32_t offset;
    uint32_t filesz;
    bool writable;
    bool executable;
};

struct elf_image {
    uint32_t entry;
    uint32_t phdr_vaddr; /* where the program headers are in memory (AT_PHDR), 0 if not loaded */
    uint32_t phnum;
    unsigned segment_count;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * Checks that data (size bytes) is a static i386 executable whose loadable segments all lie in
 * [0x1000, user_top), and describes it in out. Returns 0, or -1 with a one-line reason in error:
 * bad magic, class, data encoding, version, machine or type; program headers outside the file
 * or of the wrong size; p_filesz > p_memsz; offsets or sizes past the end of the file; ranges
 * that wrap or reach user_top; no PT_LOAD segment; entry point 0 or outside every executable
 * segment; too many segments.
 */
int elf_parse(const void *data, size_t size, uint32_t user_top, struct elf_image *out, char *error,
              size_t error_size);
