/*
 * What GRUB handed over, as the kernel sees it (PB173 checkpoint 1: list the modules, show a text
 * module). The parsing itself is pure C in lib/bootinfo.c; this file finds the bytes and prints.
 */
#include <bootinfo_report.h>

#include <kprintf.h>
#include <lib/string.h>

#include <arch/memlayout.h>

#define TEXT_SHOW_LIMIT    4096u
#define BOOT_INFO_MAX_SIZE (64u * 1024)

extern char kernel_phys_start[];
extern char kernel_end[];

static struct boot_info info;
static uint32_t info_size;
static uint32_t unreachable_phys; /* the boot information's address, when we cannot read it */

uint32_t boot_info_size(void)
{
    return info_size;
}

const struct boot_info *boot_info_get(void)
{
    return &info;
}

void boot_info_load(uint32_t boot_info_phys)
{
    struct bootinfo_limits limits = {
        .kernel_start = (uint32_t)(uintptr_t)kernel_phys_start,
        .kernel_end = virt_to_phys(kernel_end),
    };
    if (boot_info_phys >= DIRECT_MAP_SIZE - BOOT_INFO_MAX_SIZE) {
        bootinfo_parse("", 0, &limits, &info);
        info.error[0] = '\0'; /* the only problem is where it lies; print_problems says so */
        unreachable_phys = boot_info_phys;
        return;
    }
    const uint8_t *data = phys_to_virt(boot_info_phys);
    /* The first word is the total size; never read more than a generous bound. */
    uint32_t total = *(const uint32_t *)data;
    size_t avail = total < BOOT_INFO_MAX_SIZE ? total : BOOT_INFO_MAX_SIZE;
    info_size = (uint32_t)avail;
    bootinfo_parse(data, avail, &limits, &info);
}

/* What went wrong in boot_info_load: the parser's error and notes, or an unreachable address. */
static void print_problems(void)
{
    if (unreachable_phys) {
        kprintf("bootinfo: the boot information at 0x%08x is outside the direct map\n",
                unreachable_phys);
    }
    if (info.error[0]) {
        kprintf("bootinfo: %s\n", info.error);
    }
    for (unsigned i = 0; i < info.note_count; i++) {
        kprintf("bootinfo: %s\n", info.notes[i]);
    }
    if (info.notes_dropped) {
        kprintf("bootinfo: ... and %u more notes\n", info.notes_dropped);
    }
}

static void print_memory_map(void)
{
    kprintf("memory map: %u regions\n", info.region_count);
    kprintf("  %-18s  %-18s  %s\n", "base", "length", "type");
    for (unsigned i = 0; i < info.region_count; i++) {
        const struct bootinfo_region *r = &info.regions[i];
        kprintf("  0x%016llx  0x%016llx  %s\n", (unsigned long long)r->base,
                (unsigned long long)r->length, bootinfo_region_type_name(r->type));
    }
    uint64_t usable = bootinfo_usable_bytes(&info);
    kprintf("memory: %llu KiB usable (%llu MiB)\n", (unsigned long long)(usable / 1024),
            (unsigned long long)(usable / (1024 * 1024)));
}

/* Prints at most TEXT_SHOW_LIMIT bytes of a text module, then how much was left out. */
static void print_text(const char *text, uint32_t size)
{
    uint32_t shown = size < TEXT_SHOW_LIMIT ? size : TEXT_SHOW_LIMIT;
    kprintf("%.*s", (int)shown, text);
    if (shown > 0 && text[shown - 1] != '\n') {
        kprintf("\n");
    }
    if (size > shown) {
        kprintf("... (%u more bytes)\n", size - shown);
    }
}

static void print_modules(void)
{
    kprintf("modules: %u\n", info.module_count);
    if (info.module_count == 0) {
        return;
    }
    kprintf("  %-3s  %-21s  %-9s  %s\n", "#", "physical range", "size", "command line");
    for (unsigned i = 0; i < info.module_count; i++) {
        const struct bootinfo_module *m = &info.modules[i];
        kprintf("  %-3u  0x%08x-0x%08x  %-9u  %s\n", i, m->start, m->end, m->end - m->start,
                m->cmdline);
    }
    for (unsigned i = 0; i < info.module_count; i++) {
        const struct bootinfo_module *m = &info.modules[i];
        uint32_t size = m->end - m->start;
        if (m->end > DIRECT_MAP_SIZE) {
            kprintf("module %u (%s): above the direct map; not read\n", i, m->cmdline);
            continue;
        }
        const uint8_t *data = phys_to_virt(m->start);
        enum module_kind kind = bootinfo_classify_module(data, size);
        if (kind == MODULE_TEXT) {
            kprintf("module %u (%s) holds text, %u bytes:\n", i, m->cmdline, size);
            print_text((const char *)data, size);
        } else {
            kprintf("module %u (%s) holds %s data, %u bytes\n", i, m->cmdline,
                    bootinfo_module_kind_name(kind), size);
        }
    }
}

void boot_info_print(void)
{
    print_problems();
    kprintf("boot loader: %s\n", info.loader_name[0] ? info.loader_name : "(unknown)");
    if (info.efi_bits) {
        kprintf("firmware: UEFI, %u-bit (system table at 0x%llx)\n", info.efi_bits,
                (unsigned long long)info.efi_system_table);
    } else {
        kprintf("firmware: BIOS (no UEFI system table from the boot loader)\n");
    }
    kprintf("command line: %s\n", info.cmdline);
    print_memory_map();
    print_modules();
}
