#pragma once
/*
 * Slabs: one page cut into equal objects, for kmalloc's size classes. Pure C: pages come from a
 * callback, so the host tests run this on plain buffers (tests/host/test_slab.py).
 *
 * A slab's header sits at the start of its page and objects follow at 16-byte boundaries, so
 * no object is ever page-aligned and every object is 16-byte aligned. Freed objects form a free
 * list through their first word; never-used objects are handed out from a bump offset, so a new
 * slab costs O(1) to set up. A bitmap of allocated objects catches double frees in O(1).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAB_PAGE_SIZE  4096u
#define SLAB_MIN_OBJECT 16u
#define SLAB_MAGIC      0x51ab51abu
#define SLAB_POISON     0x6b

struct slab_cache;

struct slab {
    uint32_t magic;
    uint16_t object_size; /* a power of two */
    uint8_t object_shift; /* log2(object_size) */
    uint8_t unused;
    uint16_t capacity;
    uint16_t in_use;
    uint16_t bump;     /* objects [bump, capacity) have never been handed out */
    void *free_list;   /* freed objects, linked through their first word */
    struct slab *next; /* in the cache's list of slabs with room */
    struct slab *prev;
    struct slab_cache *cache;
    uint8_t allocated[SLAB_PAGE_SIZE / SLAB_MIN_OBJECT / 8];
};

struct slab_cache {
    uint32_t object_size;
    struct slab *partial; /* slabs with at least one free object */
    uint32_t slabs;       /* pages this cache holds */
    uint32_t in_use;      /* objects handed out */
};

/* Returns a page-aligned page of SLAB_PAGE_SIZE bytes, or NULL. */
typedef void *(*slab_get_page)(void *ctx);

enum slab_free_result {
    SLAB_FREED,       /* the object is back in its slab */
    SLAB_PAGE_EMPTY,  /* ... and its slab was empty and left the cache: give *page back */
    SLAB_DOUBLE_FREE, /* the object was not allocated; nothing changed */
    SLAB_BAD_POINTER, /* not the start of an object of a slab; nothing changed */
};

/* object_size: a power of two from 16 to SLAB_PAGE_SIZE / 2. */
void slab_cache_init(struct slab_cache *cache, uint32_t object_size);

/* An object of cache->object_size bytes (16-byte aligned), or NULL when get_page fails. */
void *slab_alloc(struct slab_cache *cache, slab_get_page get_page, void *ctx);

/*
 * Gives obj back. With poison, fills it with SLAB_POISON (after the free-list link). When the
 * slab becomes empty and the cache has other room, the slab leaves the cache and *page is set.
 */
enum slab_free_result slab_free(void *obj, bool poison, void **page);

/* The slab whose page holds ptr, or NULL if that page is not a slab. */
struct slab *slab_of(const void *ptr);

/* The object size of the slab that holds ptr (0 when ptr is not in a slab). */
uint32_t slab_object_size(const void *ptr);
