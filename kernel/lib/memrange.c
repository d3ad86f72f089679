#include <lib/memrange.h>

static uint64_t round_down(uint64_t x)
{
    return x & ~(uint64_t)(FRAME_SIZE - 1);
}

static uint64_t round_up(uint64_t x)
{
    if (x > UINT64_MAX - (FRAME_SIZE - 1)) {
        return round_down(UINT64_MAX);
    }
    return round_down(x + FRAME_SIZE - 1);
}

size_t range_normalize(struct phys_range *r, size_t count)
{
    /* Insertion sort: a memory map has tens of entries, not thousands. */
    for (size_t i = 1; i < count; i++) {
        struct phys_range key = r[i];
        size_t j = i;
        while (j > 0 && r[j - 1].start > key.start) {
            r[j] = r[j - 1];
            j--;
        }
        r[j] = key;
    }
    size_t out = 0;
    for (size_t i = 0; i < count; i++) {
        if (r[i].end <= r[i].start) {
            continue;
        }
        if (out > 0 && r[i].start <= r[out - 1].end) {
            if (r[i].end > r[out - 1].end) {
                r[out - 1].end = r[i].end;
            }
        } else {
            r[out++] = r[i];
        }
    }
    return out;
}

/* Saturating end of a region: base + length, or the top of the 64-bit space. */
static uint64_t region_end(const struct bootinfo_region *region)
{
    uint64_t end = region->base + region->length;
    return end < region->base ? UINT64_MAX : end;
}

size_t range_free_frames(const struct bootinfo_region *regions, size_t region_count,
                         const struct phys_range *reserved, size_t reserved_count, uint64_t limit,
                         struct phys_range *scratch, struct phys_range *out, size_t out_cap)
{
    /* 1. What must never be handed out, in whole frames, sorted and merged. */
    size_t blocked = 0;
    for (size_t i = 0; i < region_count; i++) {
        if (regions[i].type != MMAP_AVAILABLE) {
            scratch[blocked].start = round_down(regions[i].base);
            scratch[blocked].end = round_up(region_end(&regions[i]));
            blocked++;
        }
    }
    for (size_t i = 0; i < reserved_count; i++) {
        scratch[blocked].start = round_down(reserved[i].start);
        scratch[blocked].end = round_up(reserved[i].end);
        blocked++;
    }
    blocked = range_normalize(scratch, blocked);

    /*
     * 2. Available regions, shrunk to whole frames and clipped at limit, in address order. We
     * take them one by one in sorted order without a second buffer: repeatedly pick the region
     * with the smallest start above the last one taken (n is small).
     */
    size_t total = 0;
    uint64_t covered_to = 0; /* every address below this has been handled */
    for (;;) {
        const struct bootinfo_region *next = NULL;
        uint64_t next_start = 0;
        for (size_t i = 0; i < region_count; i++) {
            if (regions[i].type != MMAP_AVAILABLE) {
                continue;
            }
            uint64_t start = round_up(regions[i].base);
            uint64_t end = round_down(region_end(&regions[i]));
            if (start < covered_to) {
                start = covered_to;
            }
            if (end > limit) {
                end = round_down(limit);
            }
            if (start >= end) {
                continue;
            }
            if (next == NULL || start < next_start) {
                next = &regions[i];
                next_start = start;
            }
        }
        if (next == NULL) {
            return total;
        }
        uint64_t end = round_down(region_end(next));
        if (end > limit) {
            end = round_down(limit);
        }
        covered_to = end;

        /* 3. Cut the blocked ranges out of [next_start, end). */
        uint64_t start = next_start;
        for (size_t b = 0; b < blocked && start < end; b++) {
            if (scratch[b].end <= start || scratch[b].start >= end) {
                continue;
            }
            if (scratch[b].start > start) {
                if (total < out_cap) {
                    out[total].start = start;
                    out[total].end = scratch[b].start;
                }
                total++;
            }
            start = scratch[b].end;
        }
        if (start < end) {
            if (total < out_cap) {
                out[total].start = start;
                out[total].end = end;
            }
            total++;
        }
    }
}

uint64_t range_frame_count(const struct phys_range *ranges, size_t count)
{
    uint64_t frames = 0;
    for (size_t i = 0; i < count; i++) {
        frames += (ranges[i].end - ranges[i].start) / FRAME_SIZE;
    }
    return frames;
}
