#pragma once
/*
 * Physical frames: 4 KiB pieces of RAM, handed out one at a time (O(1)), each with a reference
 * count so several mappings can share one frame (copy-on-write, zero-copy module mapping).
 */
#include <stdint.h>

#include <lib/bootinfo.h>

/*
 * Builds the frame table from the memory map: only available RAM below the direct map's end,
 * with the first 1 MiB, the kernel image, the boot information (boot_info_phys, boot_info_size)
 * and every module reserved. The table also covers every module below the direct map's end,
 * wherever the map puts it (above every free frame, in a reserved region), so that
 * frame_adopt can take its frames. Halts with a message when no usable RAM remains above 1 MiB.
 */
void frame_init(const struct boot_info *info, uint32_t boot_info_phys, uint32_t boot_info_size);

/* Prints the reserved ranges and the frame counts (the boot log's memory report). */
void frame_print_report(void);

/* Takes a free frame with reference count 1 and returns its physical address; 0 when none is left.
 */
uint32_t frame_alloc(void);

/* Like frame_alloc, and fills the frame with zeros. */
uint32_t frame_alloc_zeroed(void);

/* Adds a reference to an allocated frame. */
void frame_ref(uint32_t phys);

/*
 * Drops one reference; the frame becomes free when none is left. Freeing a frame that is free or
 * reserved is a kernel bug and panics with the frame's address.
 */
void frame_free(uint32_t phys);

/* The reference count of the frame at phys (0 for free and reserved frames). */
unsigned frame_refcount(uint32_t phys);

/* count physically contiguous frames, each with reference count 1; 0 when no such run is free. */
uint32_t frame_alloc_run(uint32_t count);

/*
 * Turns the reserved whole frames of [start, end) into allocated frames with one reference
 * each, held by the caller: a module's frames can then be shared into address spaces.
 */
void frame_adopt(uint32_t start, uint32_t end);

/* Frames on the free list now. */
uint32_t frame_free_count(void);

/* Frames the allocator manages: free, allocated or reserved after boot. */
uint32_t frame_total_count(void);
