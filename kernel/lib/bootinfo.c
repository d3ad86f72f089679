/*
 * Multiboot2 boot information parser.
 *
 * Layout (Multiboot2 specification, section 3.6): a u32 total size, a u32 reserved word, then
 * tags, each starting on an 8-byte boundary with a u32 type and a u32 size (header included),
 * ending with a tag of type 0 and size 8. We trust nothing: every size is checked against the
 * bytes that remain before anything is read through it.
 */
#include <lib/bootinfo.h>

#include <lib/bytes.h>
#include <lib/format.h>
#include <lib/string.h>

#include <stdbool.h>

enum {
    TAG_END = 0,
    TAG_CMDLINE = 1,
    TAG_LOADER_NAME = 2,
    TAG_MODULE = 3,
    TAG_MMAP = 6,
    TAG_FRAMEBUFFER = 8,
    TAG_EFI32 = 11,
    TAG_EFI64 = 12,
    TAG_ACPI_OLD = 14, /* a copy of ACPI 1.0's RSDP */
    TAG_ACPI_NEW = 15, /* a copy of ACPI 2.0's RSDP (with the XSDT's address) */
};

#define TAG_HEADER_SIZE    8u
#define MMAP_HEADER_SIZE   16u /* tag header + entry_size + entry_version */
#define MMAP_ENTRY_MIN     24u
#define MODULE_HEADER_SIZE 16u /* tag header + mod_start + mod_end */
#define FOUR_GIB           0x100000000ull
/*
 * The framebuffer tag's fixed part: header, u64 address, u32 pitch, width, height, u8 bpp,
 * u8 type and a u16 reserved word (the u16 of the specification's own multiboot2.h and of
 * GRUB; the prose says u8), so the colour information starts at byte 32.
 */
#define FRAMEBUFFER_HEADER_SIZE 32u
#define FRAMEBUFFER_RGB_SIZE    (FRAMEBUFFER_HEADER_SIZE + 6u)

static void add_note(struct boot_info *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_note(struct boot_info *out, const char *fmt, ...)
{
    if (out->note_count == BOOTINFO_MAX_NOTES) {
        out->notes_dropped++;
        return;
    }
    va_list args;
    va_start(args, fmt);
    format_vsnprintf(out->notes[out->note_count++], BOOTINFO_TEXT_SIZE, fmt, args);
    va_end(args);
}

static int fail(struct boot_info *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct boot_info *out, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_vsnprintf(out->error, BOOTINFO_TEXT_SIZE, fmt, args);
    va_end(args);
    return -1;
}

/* A string field must end with a NUL inside its tag; returns NULL when it does not. */
static const char *tag_string(const uint8_t *start, uint32_t length)
{
    if (length == 0 || strnlen((const char *)start, length) == length) {
        return NULL;
    }
    return (const char *)start;
}

static void parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (size < MMAP_HEADER_SIZE) {
        add_note(out, "memory map tag of %u bytes is too small; map ignored", size);
        return;
    }
    uint32_t entry_size = read_le32(tag + 8);
    if (entry_size < MMAP_ENTRY_MIN) {
        add_note(out, "memory map entries of %u bytes are smaller than %u; map ignored", entry_size,
                 MMAP_ENTRY_MIN);
        return;
    }
    unsigned skipped = 0;
    for (uint32_t off = MMAP_HEADER_SIZE; size - off >= entry_size; off += entry_size) {
        const uint8_t *e = tag + off;
        uint64_t base = read_le64(e);
        uint64_t length = read_le64(e + 8);
        uint32_t type = read_le32(e + 16);

        if (base >= FOUR_GIB) {
            add_note(out, "memory region at 0x%llx is above 4 GiB; ignored",
                     (unsigned long long)base);
            continue;
        }
        if (length > FOUR_GIB - base) {
            add_note(out, "memory region at 0x%llx runs past 4 GiB; clamped to 4 GiB",
                     (unsigned long long)base);
            length = FOUR_GIB - base;
        }
        if (out->region_count == BOOTINFO_MAX_REGIONS) {
            skipped++;
            continue;
        }
        struct bootinfo_region *r = &out->regions[out->region_count++];
        r->base = base;
        r->length = length;
        r->type = type;
    }
    if (skipped) {
        add_note(out, "memory map has %u regions beyond the first %u; ignored", skipped,
                 BOOTINFO_MAX_REGIONS);
    }
}

static void parse_framebuffer(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (size < FRAMEBUFFER_HEADER_SIZE) {
        add_note(out, "framebuffer tag of %u bytes is too small; ignored", size);
        return;
    }
    struct bootinfo_framebuffer fb = {
        .addr = read_le64(tag + 8),
        .pitch = read_le32(tag + 16),
        .width = read_le32(tag + 20),
        .height = read_le32(tag + 24),
        .bpp = tag[28],
        .type = tag[29],
    };
    if (fb.type == FRAMEBUFFER_RGB) {
        if (size < FRAMEBUFFER_RGB_SIZE) {
            add_note(out, "RGB framebuffer tag of %u bytes has no colour fields; ignored", size);
            return;
        }
        const uint8_t *colour = tag + FRAMEBUFFER_HEADER_SIZE;
        fb.red = (struct bootinfo_colour_field){ colour[0], colour[1] };
        fb.green = (struct bootinfo_colour_field){ colour[2], colour[3] };
        fb.blue = (struct bootinfo_colour_field){ colour[4], colour[5] };
    }
    out->framebuffer = fb;
    out->has_framebuffer = true;
}

/* Tags 11 and 12: UEFI's system table, a u32 or a u64 physical address after the header. */
static void parse_efi_system_table(const uint8_t *tag, uint32_t size, unsigned bits,
                                   struct boot_info *out)
{
    uint32_t needed = TAG_HEADER_SIZE + bits / 8;
    if (size < needed) {
        add_note(out, "EFI %u-bit system table tag of %u bytes is too small; ignored", bits, size);
        return;
    }
    out->efi_bits = bits;
    out->efi_system_table = bits == 64 ? read_le64(tag + 8) : read_le32(tag + 8);
}

/* A copy of the RSDP: kept as given (acpi.c checks it); the newer one wins over the old. */
static void parse_acpi_rsdp(const uint8_t *tag, uint32_t size, unsigned type, struct boot_info *out)
{
    if (out->acpi_rsdp_size != 0 && type == TAG_ACPI_OLD) {
        return;
    }
    out->acpi_rsdp = tag + TAG_HEADER_SIZE;
    out->acpi_rsdp_size = size - TAG_HEADER_SIZE;
}

/* index: the module's position among the module tags (skipped ones included). */
static void parse_module(const uint8_t *tag, uint32_t size, unsigned index,
                         const struct bootinfo_limits *limits, struct boot_info *out)
{
    if (size < MODULE_HEADER_SIZE + 1) {
        add_note(out, "module %u: tag of %u bytes is too small; skipped", index, size);
        return;
    }
    uint32_t start = read_le32(tag + 8);
    uint32_t end = read_le32(tag + 12);
    const char *cmdline = tag_string(tag + MODULE_HEADER_SIZE, size - MODULE_HEADER_SIZE);
    if (cmdline == NULL) {
        add_note(out, "module %u: command line has no terminating NUL; skipped", index);
        return;
    }
    if (end < start) {
        add_note(out, "module %u (%.40s): end 0x%08x is before start 0x%08x; skipped", index,
                 cmdline, end, start);
        return;
    }
    if (limits && start < limits->kernel_end && end > limits->kernel_start) {
        add_note(out, "module %u (%.40s): 0x%08x-0x%08x overlaps the kernel; skipped", index,
                 cmdline, start, end);
        return;
    }
    if (out->module_count == BOOTINFO_MAX_MODULES) {
        add_note(out, "module %u (%.40s): more than %u modules; skipped", index, cmdline,
                 BOOTINFO_MAX_MODULES);
        return;
    }
    struct bootinfo_module *m = &out->modules[out->module_count++];
    m->start = start;
    m->end = end;
    m->cmdline = cmdline;
}

int bootinfo_parse(const void *data, size_t avail, const struct bootinfo_limits *limits,
                   struct boot_info *out)
{
    const uint8_t *base = data;
    memset(out, 0, sizeof(*out));
    out->cmdline = "";
    out->loader_name = "";

    if (avail < TAG_HEADER_SIZE) {
        return fail(out, "boot information: only %u bytes readable", (unsigned)avail);
    }
    uint32_t total = read_le32(base);
    if (total < TAG_HEADER_SIZE + TAG_HEADER_SIZE) {
        return fail(out, "boot information: total size %u is too small", total);
    }
    if (total % 8 != 0) {
        return fail(out, "boot information: total size %u is not a multiple of 8", total);
    }
    if (total > avail) {
        return fail(out, "boot information: total size %u is larger than the %u bytes given", total,
                    (unsigned)avail);
    }

    uint32_t off = TAG_HEADER_SIZE;
    unsigned module_tags = 0;
    for (unsigned index = 0;; index++) {
        if (total - off < TAG_HEADER_SIZE) {
            return fail(out, "boot information: no end tag");
        }
        const uint8_t *tag = base + off;
        uint32_t type = read_le32(tag);
        uint32_t size = read_le32(tag + 4);
        if (size < TAG_HEADER_SIZE) {
            return fail(out, "boot information: tag %u (type %u) has size %u, less than 8", index,
                        type, size);
        }
        if (size > total - off) {
            return fail(out, "boot information: tag %u (type %u, %u bytes) runs past the end",
                        index, type, size);
        }
        if (type == TAG_END) {
            return 0;
        }

        const uint8_t *payload = tag + TAG_HEADER_SIZE;
        uint32_t payload_size = size - TAG_HEADER_SIZE;
        switch (type) {
        case TAG_CMDLINE:
        case TAG_LOADER_NAME: {
            const char *s = tag_string(payload, payload_size);
            if (s == NULL) {
                return fail(out, "boot information: %s has no terminating NUL",
                            type == TAG_CMDLINE ? "command line" : "boot loader name");
            }
            if (type == TAG_CMDLINE) {
                out->cmdline = s;
            } else {
                out->loader_name = s;
            }
            break;
        }
        case TAG_MODULE:
            parse_module(tag, size, module_tags++, limits, out);
            break;
        case TAG_MMAP:
            parse_mmap(tag, size, out);
            break;
        case TAG_FRAMEBUFFER:
            parse_framebuffer(tag, size, out);
            break;
        case TAG_EFI32:
        case TAG_EFI64:
            parse_efi_system_table(tag, size, type == TAG_EFI64 ? 64 : 32, out);
            break;
        case TAG_ACPI_OLD:
        case TAG_ACPI_NEW:
            parse_acpi_rsdp(tag, size, type, out);
            break;
        default:
            break; /* tags we did not ask for (the EFI memory map, ...) are skipped */
        }
        /* The next tag starts at the next 8-byte boundary. */
        uint32_t step = (size + 7) & ~7u;
        if (step > total - off) {
            return fail(out, "boot information: no end tag");
        }
        off += step;
    }
}

const char *bootinfo_region_type_name(uint32_t type)
{
    switch (type) {
    case MMAP_AVAILABLE:
        return "available";
    case MMAP_RESERVED:
        return "reserved";
    case MMAP_ACPI_RECLAIMABLE:
        return "ACPI reclaimable";
    case MMAP_ACPI_NVS:
        return "ACPI NVS";
    case MMAP_BAD:
        return "bad RAM";
    default:
        return "unknown";
    }
}

const char *bootinfo_framebuffer_type_name(uint8_t type)
{
    switch (type) {
    case FRAMEBUFFER_INDEXED:
        return "indexed colour";
    case FRAMEBUFFER_RGB:
        return "RGB";
    case FRAMEBUFFER_EGA_TEXT:
        return "EGA text";
    default:
        return "unknown";
    }
}

uint64_t bootinfo_usable_bytes(const struct boot_info *info)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < info->region_count; i++) {
        if (info->regions[i].type == MMAP_AVAILABLE) {
            total += info->regions[i].length;
        }
    }
    return total;
}

#define TEXT_CHECK_SIZE 4096u

static bool is_text_byte(uint8_t c)
{
    return c >= 0x20 ? c != 0x7f : (c == '\n' || c == '\r' || c == '\t' || c == '\f');
}

enum module_kind bootinfo_classify_module(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return MODULE_EMPTY;
    }
    if (size >= 4 && memcmp(data,
                            "\x7f"
                            "ELF",
                            4) == 0) {
        return MODULE_ELF;
    }
    if (size >= 262 && memcmp(data + 257, "ustar", 5) == 0) {
        return MODULE_TAR;
    }
    if (size >= 8 && memcmp(data, "RINGFLAT", 8) == 0) {
        return MODULE_FLAT_RAMDISK;
    }
    size_t check = size < TEXT_CHECK_SIZE ? size : TEXT_CHECK_SIZE;
    for (size_t i = 0; i < check; i++) {
        if (!is_text_byte(data[i])) {
            return MODULE_BINARY;
        }
    }
    return MODULE_TEXT;
}

const char *bootinfo_module_kind_name(enum module_kind kind)
{
    switch (kind) {
    case MODULE_EMPTY:
        return "empty";
    case MODULE_ELF:
        return "ELF";
    case MODULE_TAR:
        return "tar";
    case MODULE_FLAT_RAMDISK:
        return "flat ramdisk";
    case MODULE_TEXT:
        return "text";
    default:
        return "binary";
    }
}
