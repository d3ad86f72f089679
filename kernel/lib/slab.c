#include <lib/slab.h>

#include <lib/string.h>

#define HEADER_SIZE SLAB_HEADER_SIZE

void slab_cache_init(struct slab_cache *cache, uint32_t object_size)
{
    cache->object_size = object_size;
    cache->partial = NULL;
    cache->slabs = 0;
    cache->in_use = 0;
}

static void list_remove(struct slab *s)
{
    if (s->prev) {
        s->prev->next = s->next;
    } else {
        s->cache->partial = s->next;
    }
    if (s->next) {
        s->next->prev = s->prev;
    }
    s->next = s->prev = NULL;
}

static void list_push(struct slab *s)
{
    s->prev = NULL;
    s->next = s->cache->partial;
    if (s->next) {
        s->next->prev = s;
    }
    s->cache->partial = s;
}

static struct slab *new_slab(struct slab_cache *cache, slab_get_page get_page, void *ctx)
{
    struct slab *s = get_page(ctx);
    if (s == NULL) {
        return NULL;
    }
    memset(s, 0, sizeof(*s));
    s->magic = SLAB_MAGIC;
    s->object_size = (uint16_t)cache->object_size;
    s->object_shift = (uint8_t)__builtin_ctz(cache->object_size);
    s->capacity = (uint16_t)((SLAB_PAGE_SIZE - HEADER_SIZE) / cache->object_size);
    s->cache = cache;
    cache->slabs++;
    list_push(s);
    return s;
}

static unsigned index_of(const struct slab *s, const void *obj)
{
    return (unsigned)(((uintptr_t)obj - (uintptr_t)s - HEADER_SIZE) >> s->object_shift);
}

void *slab_alloc_slow(struct slab_cache *cache, slab_get_page get_page, void *ctx)
{
    struct slab *s = cache->partial;
    if (s == NULL && (s = new_slab(cache, get_page, ctx)) == NULL) {
        return NULL;
    }
    void *obj;
    if (s->free_list) {
        obj = s->free_list;
        s->free_list = *(void **)obj;
    } else {
        obj = (uint8_t *)s + HEADER_SIZE + (size_t)s->bump * s->object_size;
        s->bump++;
    }
    unsigned i = index_of(s, obj);
    s->allocated[i / 32] |= 1u << (i % 32);
    s->in_use++;
    cache->in_use++;
    if (s->in_use == s->capacity) {
        list_remove(s); /* full: no longer a place to allocate from */
    }
    return obj;
}

struct slab *slab_of(const void *ptr)
{
    struct slab *s = (struct slab *)((uintptr_t)ptr & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));
    return s->magic == SLAB_MAGIC ? s : NULL;
}

uint32_t slab_object_size(const void *ptr)
{
    const struct slab *s = slab_of(ptr);
    return s ? s->object_size : 0;
}

enum slab_free_result slab_free_slow(void *obj, bool poison, void **page)
{
    struct slab *s = slab_of(obj);
    if (s == NULL) {
        return SLAB_BAD_POINTER;
    }
    uintptr_t offset = (uintptr_t)obj - (uintptr_t)s;
    unsigned i = index_of(s, obj);
    if (offset < HEADER_SIZE || ((offset - HEADER_SIZE) & (s->object_size - 1u)) != 0 ||
        i >= s->capacity) {
        return SLAB_BAD_POINTER;
    }
    uint32_t bit = 1u << (i % 32);
    if (!(s->allocated[i / 32] & bit)) {
        return SLAB_DOUBLE_FREE;
    }
    s->allocated[i / 32] &= ~bit;
    if (poison) {
        memset((uint8_t *)obj + sizeof(void *), SLAB_POISON, s->object_size - sizeof(void *));
    }
    *(void **)obj = s->free_list;
    s->free_list = obj;
    struct slab_cache *cache = s->cache;
    cache->in_use--;
    if (s->in_use-- == s->capacity) {
        list_push(s); /* it was full; now it has room again */
    }
    if (s->in_use == 0 && (s->prev || s->next)) {
        /* Empty and not the cache's only room: hand the page back. */
        list_remove(s);
        s->magic = 0;
        cache->slabs--;
        *page = s;
        return SLAB_PAGE_EMPTY;
    }
    return SLAB_FREED;
}
