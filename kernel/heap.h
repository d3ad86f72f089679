#pragma once
/*
 * The kernel heap. Every pointer it returns is 16-byte aligned. Small objects (up to 2 KiB) come
 * from size-class slabs; larger ones get whole, physically contiguous pages.
 */
#include <stddef.h>
#include <stdint.h>

/* size bytes, or NULL when size is 0 or memory is exhausted. */
void *kmalloc(size_t size);

/* count * size zeroed bytes, or NULL (also when the product overflows). */
void *kcalloc(size_t count, size_t size);

/* Gives ptr back (NULL is ignored). A double free or a pointer kmalloc never returned panics. */
void kfree(void *ptr);

/*
 * Resizes ptr to size bytes, keeping the contents up to the smaller size; may move it. NULL ptr
 * acts as kmalloc, size 0 as kfree (returning NULL). On failure returns NULL and ptr is intact.
 */
void *krealloc(void *ptr, size_t size);

/* Bytes usable at ptr (at least what was asked for). */
size_t kmalloc_usable_size(const void *ptr);

/* Prints, per size class, the slabs and the bytes in use; then the large allocations. */
void kmalloc_print_stats(void);

/*
 * Pages the heap holds with nothing allocated in them (each size class keeps one empty slab for
 * the next allocation). They count as free memory: sysinfo's freeram includes them.
 */
size_t kmalloc_cached_pages(void);

/* Free memory in pages, as sysinfo and /proc/meminfo report it: the free frames plus the
 * heap's cached empty pages and the kernel stacks the process slots keep for reuse. It lives
 * here, not in frames.c, because the heap sits on the frame allocator and not the other way
 * round. */
uint32_t kmalloc_available_pages(void);

/* Bytes handed out and not yet freed, over all classes (for leak checks in tests). */
size_t kmalloc_bytes_in_use(void);
