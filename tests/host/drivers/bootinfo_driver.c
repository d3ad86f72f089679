/*
 * Host driver for lib/bootinfo.c, run by tests/host/test_bootinfo.py through hostdriver.py.
 *
 * Persistent: it answers requests on stdin until EOF (then exits 0). Every request is
 *
 *     u8 mode, u32 length L (little-endian), then L bytes of payload
 *
 * and every answer is some lines of text ending with a line ".". Strings in answers are escaped:
 * bytes 0x20..0x7e other than '\' stand for themselves, every other byte is written \xNN.
 *
 * mode 'P': payload = u32 kernel_start, u32 kernel_end, then the boot information (L - 8 bytes).
 *           Calls bootinfo_parse(buf, L - 8, &limits, &info), buf being a malloc'd copy of
 *           exactly L - 8 bytes so that AddressSanitizer catches any read past the end.
 * mode 'N': payload = the boot information alone; bootinfo_parse is given no limits (NULL).
 *
 *     status ok                      or   status error TEXT
 *     cmdline TEXT
 *     loader TEXT
 *     region BASE LENGTH TYPE NAME   one a region; numbers in hex (0x%016llx), TYPE decimal
 *     module START END CMDLINE       one a module; START and END in hex (0x%08x)
 *     framebuffer ADDR PITCH WIDTH HEIGHT BPP TYPE RP RS GP GS BP BS NAME
 *                                    when there is one; ADDR in hex (0x%016llx), the rest
 *                                    decimal (R/G/B position and size), NAME the type's name
 *     efi BITS TABLE                 when the loader passed UEFI's system table; TABLE in hex
 *     note TEXT                      one a note
 *     notes_dropped N
 *     usable N                       bootinfo_usable_bytes, decimal
 *     .
 *
 * mode 'C': payload = the bytes of a module; calls bootinfo_classify_module on a copy of exactly
 *           L bytes and answers "kind NAME" and ".".
 *
 * What the tests cannot see from outside is checked here, and a violation aborts with a message
 * on stderr: the return value is 0 or -1 and agrees with the error text, every string the parser
 * returns lies (NUL included) inside the buffer or is the empty string, and every note and the
 * error are NUL-terminated within their arrays.
 */
#include <lib/bootinfo.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "bootinfo_driver"
#include "driver_io.h"

/* A string from the parser: "" (any empty string) or NUL-terminated inside [buf, buf + size). */
static void check_string(const char *s, const uint8_t *buf, size_t size, const char *what)
{
    if (s == NULL) {
        die_fmt("%s is NULL", what);
    }
    const uint8_t *p = (const uint8_t *)s;
    if (size > 0 && p >= buf && p < buf + size) {
        if (memchr(p, 0, (size_t)(buf + size - p)) == NULL) {
            die_fmt("%s runs past the end of the buffer", what);
        }
        return;
    }
    if (s[0] != '\0') {
        die_fmt("%s points outside the boot information", what);
    }
}

static void check_text(const char *text, const char *what)
{
    if (memchr(text, 0, BOOTINFO_TEXT_SIZE) == NULL) {
        die_fmt("%s is not NUL-terminated", what);
    }
}

static void parse(const uint8_t *buf, size_t size, const struct bootinfo_limits *limits)
{
    static struct boot_info info;
    /* Garbage first, so that a field bootinfo_parse forgets to set shows up. */
    memset(&info, FILL, sizeof(info));
    int ret = bootinfo_parse(buf, size, limits, &info);

    check_text(info.error, "error");
    if (ret != 0 && ret != -1) {
        die("bootinfo_parse returned neither 0 nor -1");
    }
    if ((ret == 0) != (info.error[0] == '\0')) {
        die("return value and error text disagree");
    }
    if (info.note_count > BOOTINFO_MAX_NOTES || info.region_count > BOOTINFO_MAX_REGIONS ||
        info.module_count > BOOTINFO_MAX_MODULES) {
        die("a count is larger than its array");
    }
    check_string(info.cmdline, buf, size, "cmdline");
    check_string(info.loader_name, buf, size, "loader name");
    for (unsigned i = 0; i < info.module_count; i++) {
        check_string(info.modules[i].cmdline, buf, size, "module command line");
    }
    for (unsigned i = 0; i < info.note_count; i++) {
        check_text(info.notes[i], "note");
    }

    if (ret == 0) {
        printf("status ok\n");
    } else {
        print_escaped("status error", info.error);
    }
    print_escaped("cmdline", info.cmdline);
    print_escaped("loader", info.loader_name);
    for (unsigned i = 0; i < info.region_count; i++) {
        const struct bootinfo_region *r = &info.regions[i];
        printf("region 0x%016llx 0x%016llx %u %s\n", (unsigned long long)r->base,
               (unsigned long long)r->length, r->type, bootinfo_region_type_name(r->type));
    }
    for (unsigned i = 0; i < info.module_count; i++) {
        const struct bootinfo_module *m = &info.modules[i];
        char label[40];
        snprintf(label, sizeof(label), "module 0x%08x 0x%08x", m->start, m->end);
        print_escaped(label, m->cmdline);
    }
    if (info.has_framebuffer) {
        const struct bootinfo_framebuffer *fb = &info.framebuffer;
        printf("framebuffer 0x%016llx %u %u %u %u %u %u %u %u %u %u %u %s\n",
               (unsigned long long)fb->addr, fb->pitch, fb->width, fb->height, fb->bpp, fb->type,
               fb->red.position, fb->red.size, fb->green.position, fb->green.size,
               fb->blue.position, fb->blue.size, bootinfo_framebuffer_type_name(fb->type));
    } else if (info.has_framebuffer != false) {
        die("has_framebuffer is neither true nor false");
    }
    if (info.efi_bits != 0) {
        printf("efi %u 0x%llx\n", info.efi_bits, (unsigned long long)info.efi_system_table);
    }
    for (unsigned i = 0; i < info.note_count; i++) {
        print_escaped("note", info.notes[i]);
    }
    printf("notes_dropped %u\n", info.notes_dropped);
    printf("usable %llu\n", (unsigned long long)bootinfo_usable_bytes(&info));
}

static void answer(const struct driver_request *req)
{
    if (req->mode == 'P') {
        if (req->length < 8) {
            die("mode P needs at least 8 bytes of payload");
        }
        struct bootinfo_limits limits = { read_le32(req->payload), read_le32(req->payload + 4) };
        size_t size = req->length - 8;
        uint8_t *buf = copy_exact(req->payload + 8, size);
        parse(buf, size, &limits);
        free(buf);
    } else if (req->mode == 'N') {
        parse(req->payload, req->length, NULL);
    } else if (req->mode == 'C') {
        enum module_kind kind = bootinfo_classify_module(req->payload, req->length);
        printf("kind %s\n", bootinfo_module_kind_name(kind));
    } else {
        die("unknown request mode");
    }
}

int main(void)
{
    return serve_requests(answer);
}
