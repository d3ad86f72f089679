/*
 * Host driver for lib/memrange.c, run by tests/host/test_memrange.py through hostdriver.py.
 *
 * Persistent: it answers requests on stdin until EOF (then exits 0). Every request is
 *
 *     u8 mode, u32 length L (little-endian), then L bytes of payload
 *
 * and every answer is some lines of text ending with a line ".". All integers in payloads are
 * little-endian; numbers in answers are hex (0x%llx) unless said otherwise.
 *
 * mode 'N': payload = count ranges of (u64 start, u64 end). Calls range_normalize on a malloc'd
 *           array of exactly count ranges and answers
 *
 *               count N                    decimal: the new count
 *               range START END            one a range, the first N of the array
 *               frames F                   range_frame_count of them, decimal
 *
 * mode 'F': payload = u64 limit, u32 out_cap, u32 region_count, u32 reserved_count, then
 *           region_count regions of (u64 base, u64 length, u32 type) and reserved_count ranges of
 *           (u64 start, u64 end). Calls range_free_frames with the regions, the reserved ranges,
 *           scratch and out each in a malloc'd array of exactly the documented size (scratch:
 *           region_count + reserved_count + 1; out: out_cap), and answers
 *
 *               total N                    decimal: the return value
 *               range START END            one a range, the first min(N, out_cap) of out
 *               frames F                   range_frame_count of those, decimal
 *
 * So AddressSanitizer catches any access past one of the arrays. The driver also checks, and
 * aborts with a message on stderr otherwise, that the regions and reserved ranges (const) are
 * unchanged.
 */
#include <lib/memrange.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "memrange_driver"
#include "driver_io.h"

static void print_ranges(const struct phys_range *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("range 0x%llx 0x%llx\n", (unsigned long long)r[i].start,
               (unsigned long long)r[i].end);
    }
    printf("frames %llu\n", (unsigned long long)range_frame_count(r, n));
}

static void normalize(const uint8_t *payload, size_t length)
{
    if (length % 16 != 0) {
        die("mode N needs a whole number of 16-byte ranges");
    }
    size_t count = length / 16;
    struct phys_range *r = alloc_exact(count, sizeof(*r));
    for (size_t i = 0; i < count; i++) {
        r[i].start = read_le64(payload + 16 * i);
        r[i].end = read_le64(payload + 16 * i + 8);
    }
    size_t n = range_normalize(r, count);
    if (n > count) {
        die("range_normalize returned more ranges than it was given");
    }
    printf("count %zu\n", n);
    print_ranges(r, n);
    free(r);
}

static void free_frames(const uint8_t *payload, size_t length)
{
    if (length < 20) {
        die("mode F needs at least 20 bytes of payload");
    }
    uint64_t limit = read_le64(payload);
    size_t out_cap = read_le32(payload + 8);
    size_t region_count = read_le32(payload + 12);
    size_t reserved_count = read_le32(payload + 16);
    if (length != 20 + 20 * region_count + 16 * reserved_count) {
        die("mode F payload has the wrong length");
    }
    struct bootinfo_region *regions = alloc_exact(region_count, sizeof(*regions));
    struct phys_range *reserved = alloc_exact(reserved_count, sizeof(*reserved));
    struct phys_range *scratch = alloc_exact(region_count + reserved_count + 1, sizeof(*scratch));
    struct phys_range *out = alloc_exact(out_cap, sizeof(*out));
    const uint8_t *p = payload + 20;
    for (size_t i = 0; i < region_count; i++, p += 20) {
        memset(&regions[i], 0, sizeof(regions[i]));
        regions[i].base = read_le64(p);
        regions[i].length = read_le64(p + 8);
        regions[i].type = read_le32(p + 16);
    }
    for (size_t i = 0; i < reserved_count; i++, p += 16) {
        reserved[i].start = read_le64(p);
        reserved[i].end = read_le64(p + 8);
    }
    struct bootinfo_region *regions_copy = alloc_exact(region_count, sizeof(*regions));
    struct phys_range *reserved_copy = alloc_exact(reserved_count, sizeof(*reserved));
    if (region_count > 0) {
        memcpy(regions_copy, regions, region_count * sizeof(*regions));
    }
    if (reserved_count > 0) {
        memcpy(reserved_copy, reserved, reserved_count * sizeof(*reserved));
    }

    size_t total = range_free_frames(regions, region_count, reserved, reserved_count, limit,
                                     scratch, out, out_cap);

    if ((region_count > 0 && memcmp(regions_copy, regions, region_count * sizeof(*regions))) ||
        (reserved_count > 0 &&
         memcmp(reserved_copy, reserved, reserved_count * sizeof(*reserved)))) {
        die("range_free_frames changed its const input");
    }
    printf("total %zu\n", total);
    print_ranges(out, total < out_cap ? total : out_cap);
    free(regions);
    free(reserved);
    free(scratch);
    free(out);
    free(regions_copy);
    free(reserved_copy);
}

static void answer(const struct driver_request *req)
{
    if (req->mode == 'N') {
        normalize(req->payload, req->length);
    } else if (req->mode == 'F') {
        free_frames(req->payload, req->length);
    } else {
        die("unknown request mode");
    }
}

int main(void)
{
    return serve_requests(answer);
}
