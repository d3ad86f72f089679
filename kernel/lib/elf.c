/*
 * The ELF32 checks. Only the ELF header and the program header table matter for a static
 * executable (the StuBS handout: "ignore the section header table"); every field that leads to
 * a memory access is checked against the file's size first.
 */
#include <lib/elf.h>

#include <lib/bytes.h>
#include <lib/format.h>
#include <lib/string.h>

enum {
    EI_CLASS = 4,
    EI_DATA = 5,
    EI_VERSION = 6,
    ELFCLASS32 = 1,
    ELFDATA2LSB = 1,
    EV_CURRENT = 1,
    ET_EXEC = 2,
    EM_386 = 3,
    PT_LOAD = 1,
    PT_PHDR = 6,
    PF_X = 1,
    PF_W = 2,
};

#define EHDR_SIZE 52u
#define PHDR_SIZE 32u

static int refuse(char *error, size_t error_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(char *error, size_t error_size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_vsnprintf(error, error_size, fmt, args);
    va_end(args);
    return -1;
}

int elf_parse(const void *data, size_t size, uint32_t user_top, struct elf_image *out, char *error,
              size_t error_size)
{
    const uint8_t *file = data;
    memset(out, 0, sizeof(*out));
    if (size < EHDR_SIZE || memcmp(file,
                                   "\x7f"
                                   "ELF",
                                   4) != 0) {
        return refuse(error, error_size, "bad ELF magic");
    }
    if (file[EI_CLASS] != ELFCLASS32) {
        return refuse(error, error_size, "not a 32-bit ELF file (class %u)", file[EI_CLASS]);
    }
    if (file[EI_DATA] != ELFDATA2LSB) {
        return refuse(error, error_size, "not little-endian (data encoding %u)", file[EI_DATA]);
    }
    if (file[EI_VERSION] != EV_CURRENT || read_le32(file + 20) != EV_CURRENT) {
        return refuse(error, error_size, "unknown ELF version");
    }
    uint16_t type = read_le16(file + 16);
    uint16_t machine = read_le16(file + 18);
    if (machine != EM_386) {
        return refuse(error, error_size, "not an i386 program (machine %u)", machine);
    }
    if (type != ET_EXEC) {
        return refuse(error, error_size, "not a static executable (type %u)", type);
    }
    uint32_t entry = read_le32(file + 24);
    uint32_t phoff = read_le32(file + 28);
    uint16_t phentsize = read_le16(file + 42);
    uint16_t phnum = read_le16(file + 44);
    if (phentsize != PHDR_SIZE) {
        return refuse(error, error_size, "program headers of %u bytes, not %u", phentsize,
                      PHDR_SIZE);
    }
    if (phoff > size || (uint64_t)phnum * PHDR_SIZE > size - phoff) {
        return refuse(error, error_size, "program header table past end of file");
    }
    if (entry == 0) {
        return refuse(error, error_size, "entry point is 0");
    }

    bool entry_ok = false;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = file + phoff + i * PHDR_SIZE;
        uint32_t p_type = read_le32(ph);
        uint32_t offset = read_le32(ph + 4);
        uint32_t vaddr = read_le32(ph + 8);
        uint32_t filesz = read_le32(ph + 16);
        uint32_t memsz = read_le32(ph + 20);
        uint32_t flags = read_le32(ph + 24);
        if (p_type != PT_LOAD) {
            continue; /* PT_GNU_STACK, PT_NOTE, ...: nothing to load */
        }
        if (filesz > memsz) {
            return refuse(error, error_size, "segment %u: p_filesz %u > p_memsz %u", i, filesz,
                          memsz);
        }
        if (offset > size || filesz > size - offset) {
            return refuse(error, error_size, "segment %u: file bytes past end of file", i);
        }
        if (vaddr + memsz < vaddr) {
            return refuse(error, error_size, "segment %u: address range wraps around", i);
        }
        if (vaddr < 0x1000u || vaddr + memsz > user_top) {
            return refuse(error, error_size, "segment %u: 0x%08x-0x%08x is outside user space", i,
                          vaddr, vaddr + memsz);
        }
        if (out->segment_count == ELF_MAX_SEGMENTS) {
            return refuse(error, error_size, "more than %u loadable segments", ELF_MAX_SEGMENTS);
        }
        struct elf_segment *s = &out->segments[out->segment_count++];
        s->vaddr = vaddr;
        s->memsz = memsz;
        s->offset = offset;
        s->filesz = filesz;
        s->writable = (flags & PF_W) != 0;
        s->executable = (flags & PF_X) != 0;
        if (entry >= vaddr && entry - vaddr < memsz && s->executable) {
            entry_ok = true;
        }
        /* The program headers are visible to the program when a segment covers them. */
        if (phoff >= offset && phoff - offset < filesz) {
            out->phdr_vaddr = vaddr + (phoff - offset);
        }
    }
    if (out->segment_count == 0) {
        return refuse(error, error_size, "no PT_LOAD segment");
    }
    if (!entry_ok) {
        return refuse(error, error_size, "entry point 0x%08x is not in an executable segment",
                      entry);
    }
    out->entry = entry;
    out->phnum = phnum;
    return 0;
}
