/*
 * kmalloc on slabs (lib/slab.c) and frames (frames.c). Large allocations start with a small
 * header on their first page: a magic number and the page count, so kfree knows what to give
 * back; slabs are told apart by their own magic at the start of the page.
 */
#include <heap.h>

#include <frames.h>
#include <kprintf.h>
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

static struct slab_cache classes[CLASS_COUNT];
static int classes_ready;
static size_t large_allocations;
static size_t large_pages;
static size_t large_bytes;

static void *get_page(void *ctx)
{
    (void)ctx;
    uint32_t phys = frame_alloc();
    return phys ? phys_to_virt(phys) : NULL;
}

static void init_classes(void)
{
    for (unsigned i = 0; i < CLASS_COUNT; i++) {
        slab_cache_init(&classes[i], SLAB_MIN_OBJECT << i);
    }
    classes_ready = 1;
}

/* The smallest class that holds size bytes (1 <= size <= 2048): 16 -> 0, 17..32 -> 1, ... */
static unsigned class_for(size_t size)
{
    if (size <= SLAB_MIN_OBJECT) {
        return 0;
    }
    return (unsigned)(32 - __builtin_clz((unsigned)size - 1)) - 4;
}

void *kmalloc(size_t size)
{
    if (size == 0) {
        return NULL;
    }
    if (!classes_ready) {
        init_classes();
    }
    if (size <= (SLAB_MIN_OBJECT << (CLASS_COUNT - 1))) {
        return slab_alloc(&classes[class_for(size)], get_page, NULL);
    }
    if (size > DIRECT_MAP_SIZE) {
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
    large_allocations++;
    large_pages += pages;
    large_bytes += size;
    return (uint8_t *)h + LARGE_HEADER;
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
    if (ptr == NULL) {
        return;
    }
    if ((uintptr_t)ptr < KERNBASE || ((uintptr_t)ptr & 15) != 0) {
        panic("kfree: %p was not returned by kmalloc", ptr);
    }
    struct large_header *h = large_header_of(ptr);
    if (h) {
        uint32_t phys = virt_to_phys(h);
        uint32_t pages = h->pages;
        large_allocations--;
        large_pages -= pages;
        large_bytes -= h->size;
        h->magic = 0;
        for (uint32_t i = 0; i < pages; i++) {
            frame_free(phys + i * PAGE_SIZE);
        }
        return;
    }
    void *page = NULL;
    switch (slab_free(ptr, RINGLET_DEBUG, &page)) {
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
    for (unsigned i = 0; i < CLASS_COUNT && classes_ready; i++) {
        for (const struct slab *s = classes[i].partial; s; s = s->next) {
            pages += s->in_use == 0;
        }
    }
    return pages;
}

uint32_t kmalloc_available_pages(void)
{
    return frame_free_count() + (uint32_t)kmalloc_cached_pages();
}

size_t kmalloc_bytes_in_use(void)
{
    size_t bytes = large_bytes;
    for (unsigned i = 0; i < CLASS_COUNT && classes_ready; i++) {
        bytes += (size_t)classes[i].in_use * classes[i].object_size;
    }
    return bytes;
}

void kmalloc_print_stats(void)
{
    if (!classes_ready) {
        init_classes();
    }
    kprintf("kmalloc: %-6s %6s %8s %10s\n", "class", "slabs", "objects", "bytes");
    for (unsigned i = 0; i < CLASS_COUNT; i++) {
        const struct slab_cache *c = &classes[i];
        kprintf("kmalloc: %-6u %6u %8u %10u\n", c->object_size, c->slabs, c->in_use,
                c->in_use * c->object_size);
    }
    kprintf("kmalloc: large  %u allocations, %u pages, %u bytes\n", (unsigned)large_allocations,
            (unsigned)large_pages, (unsigned)large_bytes);
}
