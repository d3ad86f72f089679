#pragma once
/*
 * Physical memory ranges: which frames may the allocator hand out? Pure C, host-tested.
 */
#include <stddef.h>
#include <stdint.h>

#include <lib/bootinfo.h>

#define FRAME_SIZE 4096u

/* A physical range [start, end). */
struct phys_range {
    uint64_t start;
    uint64_t end;
};

/*
 * Sorts ranges by start and merges the ones that overlap or touch; drops empty ones. Works in
 * place and returns the new count.
 */
size_t range_normalize(struct phys_range *ranges, size_t count);

/*
 * The free frames of a machine, as page-aligned ranges:
 *     (available map regions, shrunk to whole frames, below limit)
 *   minus (every other map region and every reserved range, grown to whole frames).
 * Map entries may overlap, be unsorted, empty or anywhere in the 64-bit space; a range the map
 * calls both available and reserved is reserved. Writes at most out_cap ranges (sorted,
 * disjoint) and returns how many there are in all; scratch must hold region_count + reserved_count
 * + 1 ranges.
 */
size_t range_free_frames(const struct bootinfo_region *regions, size_t region_count,
                         const struct phys_range *reserved, size_t reserved_count, uint64_t limit,
                         struct phys_range *scratch, struct phys_range *out, size_t out_cap);

/* Number of whole frames in the ranges. */
uint64_t range_frame_count(const struct phys_range *ranges, size_t count);
