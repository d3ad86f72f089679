#pragma once
/*
 * Slabs: one page cut into equal objects, for kmalloc's size classes. Pure C: pages come from a
 * callback, so the host tests run this on plain buffers (tests/host/test_slab.py).
 *
 * A slab's header sits at the start of its page and objects follow at 16-byte boundaries, so
 * no object is ever page-aligned and every object is 16-byte aligned. Freed objects form a free
 * list through their first word; never-used objects are handed out from a bump offset, so a new
 * slab costs O(1) to set up. A bitmap of allocated objects catches double frees in O(1).
 *
 * slab_alloc and slab_free are inline: their common case (an object off the first slab's free
 * list; an object back onto a slab that neither was full nor becomes empty) is a dozen
 * instructions in the caller, with no call. Everything else goes out of line to the _slow
 * functions in slab.c.
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
    uint32_t allocated[SLAB_PAGE_SIZE / SLAB_MIN_OBJECT / 32]; /* bit i: object i is live */
};

/* Objects start at this offset in their page: the header, rounded up to 16 bytes. */
#define SLAB_HEADER_SIZE ((sizeof(struct slab) + 15u) & ~15u)

struct slab_cache {
    uint32_t object_size;
    struct slab *partial; /* slabs with at least one free object */
    uint32_t slabs;       /* pages this cache holds */
    uint32_t in_use;      /* objects handed out */
};

/* An empty cache of objects of size bytes, as a static initializer (see slab_cache_init). */
#define SLAB_CACHE_INIT(size) { .object_size = (size) }

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

/* slab_alloc when the first slab with room has an empty free list or there is no such slab:
 * takes from the bump area or a new page. Same contract as slab_alloc. */
void *slab_alloc_slow(struct slab_cache *cache, slab_get_page get_page, void *ctx);

/* slab_free for everything but a valid free that neither makes a full slab partial nor
 * empties a slab the cache may give back. Same contract as slab_free. */
enum slab_free_result slab_free_slow(void *obj, bool poison, void **page);

/* The slab whose page holds ptr, or NULL if that page is not a slab. */
struct slab *slab_of(const void *ptr);

/* The object size of the slab that holds ptr (0 when ptr is not in a slab). */
uint32_t slab_object_size(const void *ptr);

/* An object of cache->object_size bytes (16-byte aligned), or NULL when get_page fails. */
static inline void *slab_alloc(struct slab_cache *cache, slab_get_page get_page, void *ctx)
{
    struct slab *s = cache->partial;
    void *obj;
    if (s == NULL || (obj = s->free_list) == NULL || s->in_use + 1u == s->capacity) {
        return slab_alloc_slow(cache, get_page, ctx); /* new page, bump area, or now full */
    }
    s->free_list = *(void **)obj;
    unsigned i = (unsigned)((uintptr_t)obj - (uintptr_t)s - SLAB_HEADER_SIZE) >> s->object_shift;
    s->allocated[i / 32] |= 1u << (i % 32);
    s->in_use++;
    cache->in_use++;
    return obj;
}

/*
 * Gives obj back. With poison, fills it with SLAB_POISON (after the free-list link). When the
 * slab becomes empty and the cache has other room, the slab leaves the cache and *page is set.
 */
static inline enum slab_free_result slab_free(void *obj, bool poison, void **page)
{
    struct slab *s = (struct slab *)((uintptr_t)obj & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));
    /* The common case: a live object of a slab that stays partial. Anything else (not a slab,
     * not an object's start, not live, poisoning, a full slab, an emptied slab that is not the
     * cache's only one) goes the slow way, which tells them apart. No field but the magic is
     * read from a page that is not a slab. */
    if (s->magic != SLAB_MAGIC || poison) {
        return slab_free_slow(obj, poison, page);
    }
    uintptr_t offset = (uintptr_t)obj - (uintptr_t)s - SLAB_HEADER_SIZE; /* wraps if in header */
    unsigned i = (unsigned)(offset >> s->object_shift);
    if ((offset & (s->object_size - 1u)) != 0 || i >= s->capacity ||
        !(s->allocated[i / 32] & (1u << (i % 32))) || s->in_use == s->capacity ||
        (s->in_use == 1 && (s->prev != NULL || s->next != NULL))) {
        return slab_free_slow(obj, poison, page);
    }
    s->allocated[i / 32] &= ~(1u << (i % 32));
    *(void **)obj = s->free_list;
    s->free_list = obj;
    s->in_use--;
    s->cache->in_use--;
    return SLAB_FREED;
}
