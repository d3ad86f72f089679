#pragma once
/*
 * The Multiboot2 boot information, checked and flattened into plain C structures.
 *
 * Pure C: it takes a buffer and its size and touches nothing else, so the host tests feed it
 * hand-made and randomly mutated boot information (tests/host/test_bootinfo.py).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOTINFO_MAX_REGIONS 64
#define BOOTINFO_MAX_MODULES 32
#define BOOTINFO_MAX_NOTES   8
#define BOOTINFO_TEXT_SIZE   112

/* Memory map region types, as the Multiboot2 specification numbers them. */
enum {
    MMAP_AVAILABLE = 1,
    MMAP_RESERVED = 2,
    MMAP_ACPI_RECLAIMABLE = 3,
    MMAP_ACPI_NVS = 4,
    MMAP_BAD = 5,
};

struct bootinfo_region {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

struct bootinfo_module {
    uint32_t start;      /* physical address of the first byte */
    uint32_t end;        /* physical address one past the last byte */
    const char *cmdline; /* points into the boot information */
};

/* Framebuffer types, as the Multiboot2 specification numbers them. */
enum {
    FRAMEBUFFER_INDEXED = 0,
    FRAMEBUFFER_RGB = 1,
    FRAMEBUFFER_EGA_TEXT = 2,
};

/* One colour channel of a direct-colour pixel: its lowest bit and its width in bits. */
struct bootinfo_colour_field {
    uint8_t position;
    uint8_t size;
};

/*
 * The screen the boot loader set up (tag 8). For FRAMEBUFFER_EGA_TEXT, width and height count
 * characters and pitch is bytes per row; otherwise they count pixels.
 */
struct bootinfo_framebuffer {
    uint64_t addr;  /* physical address of the top-left pixel (or character cell) */
    uint32_t pitch; /* bytes from one row to the next */
    uint32_t width;
    uint32_t height;
    uint8_t bpp;                                   /* bits per pixel */
    uint8_t type;                                  /* FRAMEBUFFER_* */
    struct bootinfo_colour_field red, green, blue; /* FRAMEBUFFER_RGB only */
};

struct boot_info {
    const char *cmdline;     /* kernel command line; "" when absent */
    const char *loader_name; /* "" when absent */
    struct bootinfo_region regions[BOOTINFO_MAX_REGIONS];
    unsigned region_count;
    struct bootinfo_module modules[BOOTINFO_MAX_MODULES];
    unsigned module_count;
    bool has_framebuffer; /* framebuffer is filled in */
    struct bootinfo_framebuffer framebuffer;
    /* 32 or 64 when the loader passed UEFI's system table (tag 11 or 12): the machine booted
     * through UEFI; 0 otherwise (a BIOS, as far as the boot information says). */
    unsigned efi_bits;
    uint64_t efi_system_table; /* its physical address */
    /* ACPI's root pointer as the loader copied it (tag 15, else 14), or NULL: where the
     * firmware's tables start (the CPUs are listed in the MADT). */
    const void *acpi_rsdp;
    uint32_t acpi_rsdp_size;
    /* Things the parser fixed or skipped (clamped regions, bad modules). Not fatal. */
    char notes[BOOTINFO_MAX_NOTES][BOOTINFO_TEXT_SIZE];
    unsigned note_count;
    unsigned notes_dropped;
    /* Set when the structure itself is broken; tags before the broken one are still filled in. */
    char error[BOOTINFO_TEXT_SIZE];
};

/* What the parser must know about the machine to judge the modules. */
struct bootinfo_limits {
    uint32_t kernel_start; /* physical range of the kernel image, end exclusive */
    uint32_t kernel_end;
};

/*
 * Parses the boot information in data, of which avail bytes may be read. Fills out completely
 * (strings point into data, which must outlive out). Returns 0 when the structure is well formed
 * and -1 when it is not; then out->error says why in one line.
 */
int bootinfo_parse(const void *data, size_t avail, const struct bootinfo_limits *limits,
                   struct boot_info *out);

/* "available", "reserved", ... for a memory map type. */
const char *bootinfo_region_type_name(uint32_t type);

/* "indexed colour", "RGB", "EGA text" or "unknown" for a framebuffer type. */
const char *bootinfo_framebuffer_type_name(uint8_t type);

/* Sum of the lengths of the available regions. */
uint64_t bootinfo_usable_bytes(const struct boot_info *info);

enum module_kind {
    MODULE_EMPTY,
    MODULE_ELF,
    MODULE_TAR,
    MODULE_FLAT_RAMDISK,
    MODULE_TEXT,
    MODULE_BINARY,
};

/* Guesses what a module holds from its first bytes. TEXT means the first 4 KiB are printable. */
enum module_kind bootinfo_classify_module(const uint8_t *data, size_t size);
const char *bootinfo_module_kind_name(enum module_kind kind);
