/*
 * kmalloc on slabs (lib/slab.c) and frames (frames.c). Large allocations start with a small
 * header on their first page: a magic number and the page count, so kfree knows what to give
 * back; slabs are told apart by their own magic at the start of the page.
 */
#include <heap.h>

#include <frames.h>
#include <kprintf.h>
#include <spinlock.h>
#include <vm.h>
#include <lib/slab.h>
#include <lib/string.h>

#include <arch/memlayout.h>

#define CLASS_COUNT  8 /* 16, 32, ..., 2048 */
#define LARGE_MAGIC  0x1a59e000u
#define LARGE_HEADER 16u

#ifndef RINGLET_DEBUG
#define RINGLET_DEBUG 1
#endif

struct large_header {
    uint32_t magic;
    uint32_t pages;
    uint32_t size;
    uint32_t unused;
};

#define SLAB_MAX (SLAB_MIN_OBJECT << (CLASS_COUNT - 1))

/* Initialized statically, so kmalloc never asks whether they are ready. */
static struct slab_cache classes[CLASS_COUNT] = {
    SLAB_CACHE_INIT(16),  SLAB_CACHE_INIT(32),  SLAB_CACHE_INIT(64),   SLAB_CACHE_INIT(128),
    SLAB_CACHE_INIT(256), SLAB_CACHE_INIT(512), SLAB_CACHE_INIT(1024), SLAB_CACHE_INIT(2048),
};
_Static_assert(SLAB_MAX == 2048, "heap.c: classes[] lists one cache per class");

/* The class for size bytes (1..2048), indexed by (size - 1) / 16: one load instead of a clz
 * and the arithmetic around it. Entry n holds the smallest class whose objects are at least
 * 16 * (n + 1) bytes (GNU range designators, which GCC and Clang both take). */
static const uint8_t class_of[SLAB_MAX / SLAB_MIN_OBJECT] = {
    [0] = 0,        [1] = 1,         [2 ... 3] = 2,   [4 ... 7] = 3,
    [8 ... 15] = 4, [16 ... 31] = 5, [32 ... 63] = 6, [64 ... 127] = 7,
};

static size_t large_allocations;
static size_t large_pages;
static size_t large_bytes;

/* The size classes and the large-allocation counts above. Taken before the frame allocator's
 * lock (the heap asks it for pages while holding this one): spinlock.h's order. */
static struct spinlock heap_lock = SPINLOCK_INIT("kernel heap", LOCK_ORDER_HEAP);

static void *get_page(void *ctx)
{
    (void)ctx;
    uint32_t phys = frame_alloc();
    return phys ? phys_to_virt(phys) : NULL;
}

/* Whole pages with a header, for what no class holds (and NULL for 0 bytes). */
static __attribute__((noinline)) void *kmalloc_large(size_t size)
{
    if (size == 0 || size > DIRECT_MAP_SIZE) {
        return NULL;
    }
    uint32_t pages = (uint32_t)((size + LARGE_HEADER + PAGE_SIZE - 1) / PAGE_SIZE);
    uint32_t phys = frame_alloc_run(pages);
    if (phys == 0) {
        return NULL;
    }
    struct large_header *h = phys_to_virt(phys);
    h->magic = LARGE_MAGIC;
    h->pages = pages;
    h->size = (uint32_t)size;
    spin_lock(&heap_lock);
    large_allocations++;
    large_pages += pages;
    large_bytes += size;
    spin_unlock(&heap_lock);
    return (uint8_t *)h + LARGE_HEADER;
}

void *kmalloc(size_t size)
{
    if (size - 1 < SLAB_MAX) { /* 1..2048; 0 wraps round to the large path, which refuses it */
        spin_lock(&heap_lock);
        void *p = slab_alloc(&classes[class_of[(size - 1) / SLAB_MIN_OBJECT]], get_page, NULL);
        spin_unlock(&heap_lock);
        return p;
    }
    return kmalloc_large(size);
}

void *kcalloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    void *p = kmalloc(count * size);
    if (p) {
        memset(p, 0, count * size);
    }
    return p;
}

static struct large_header *large_header_of(const void *ptr)
{
    struct large_header *h = (struct large_header *)((uintptr_t)ptr & ~(uintptr_t)(PAGE_SIZE - 1));
    if (h->magic != LARGE_MAGIC || (const uint8_t *)ptr != (uint8_t *)h + LARGE_HEADER) {
        return NULL;
    }
    return h;
}

void kfree(void *ptr)
{
    /* One comparison keeps NULL and user addresses away from the page reads below. */
    if ((uintptr_t)ptr - KERNBASE >= DIRECT_MAP_SIZE) {
        if (ptr == NULL) {
            return;
        }
        panic("kfree: %p was not returned by kmalloc", ptr);
    }
    /* A slab first: the common case. slab_free tests the page's slab magic before anything
     * else, and a large allocation's page starts with LARGE_MAGIC, so neither is taken for the
     * other. A slab refuses a pointer that is not an object's start (so one not 16-byte
     * aligned), as large_header_of does. */
    void *page = NULL;
    spin_lock(&heap_lock);
    enum slab_free_result freed = slab_free(ptr, RINGLET_DEBUG, &page);
    spin_unlock(&heap_lock);
    switch (freed) {
    case SLAB_FREED:
        return;
    case SLAB_PAGE_EMPTY:
        frame_free(virt_to_phys(page));
        return;
    case SLAB_DOUBLE_FREE:
        panic("kfree: double free of %p", ptr);
    case SLAB_BAD_POINTER:
        break;
    }
    struct large_header *h = large_header_of(ptr);
    if (h) {
        uint32_t phys = virt_to_phys(h);
        uint32_t pages = h->pages;
        spin_lock(&heap_lock);
        large_allocations--;
        large_pages -= pages;
        large_bytes -= h->size;
        h->magic = 0;
        spin_unlock(&heap_lock);
        for (uint32_t i = 0; i < pages; i++) {
            frame_free(phys + i * PAGE_SIZE);
        }
        return;
    }
    panic("kfree: %p was not returned by kmalloc", ptr);
}

size_t kmalloc_usable_size(const void *ptr)
{
    const struct large_header *h = large_header_of(ptr);
    if (h) {
        return (size_t)h->pages * PAGE_SIZE - LARGE_HEADER;
    }
    return slab_object_size(ptr);
}

void *krealloc(void *ptr, size_t size)
{
    if (ptr == NULL) {
        return kmalloc(size);
    }
    if (size == 0) {
        kfree(ptr);
        return NULL;
    }
    size_t have = kmalloc_usable_size(ptr);
    /* Stay in place when it fits and does not waste more than half of the space. */
    if (size <= have && size > have / 2) {
        return ptr;
    }
    void *moved = kmalloc(size);
    if (moved == NULL) {
        return size <= have ? ptr : NULL;
    }
    memcpy(moved, ptr, size < have ? size : have);
    kfree(ptr);
    return moved;
}

size_t kmalloc_cached_pages(void)
{
    size_t pages = 0;
    for (unsigned i = 0; i < CLASS_COUNT; i++) {
        for (const struct slab *s = classes[i].partial; s; s = s->next) {
            pages += s->in_use == 0;
        }
    }
    return pages;
}

uint32_t kmalloc_available_pages(void)
{
    return frame_free_count() + (uint32_t)kmalloc_cached_pages() + vm_kernel_stack_cached_frames();
}

size_t kmalloc_bytes_in_use(void)
{
    size_t bytes = large_bytes;
    for (unsigned i = 0; i < CLASS_COUNT; i++) {
        bytes += (size_t)classes[i].in_use * classes[i].object_size;
    }
    return bytes;
}

void kmalloc_print_stats(void)
{
    kprintf("kmalloc: %-6s %6s %8s %10s\n", "class", "slabs", "objects", "bytes");
    for (unsigned i = 0; i < CLASS_COUNT; i++) {
        const struct slab_cache *c = &classes[i];
        kprintf("kmalloc: %-6u %6u %8u %10u\n", c->object_size, c->slabs, c->in_use,
                c->in_use * c->object_size);
    }
    kprintf("kmalloc: large  %u allocations, %u pages, %u bytes\n", (unsigned)large_allocations,
            (unsigned)large_pages, (unsigned)large_bytes);
}
