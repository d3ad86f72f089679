/*
 * Host driver for lib/slab.c, run by tests/host/test_slab.py through hostdriver.py.
 *
 * Persistent: one request a line on stdin, one answer a line on stdout, until EOF (exit 0).
 * The driver holds one slab cache and the pages it gave the cache (aligned_alloc(4096, 4096),
 * numbered 0, 1, ... in the order the driver first made them). A page the cache hands back goes
 * to a pool, and get_page gives out the lowest-numbered pool page before it makes a new one. A
 * pointer travels as PAGE OFFSET: the page's number (or F for a page that is not a slab, filled
 * with 0x5a) and the offset in it (decimal).
 *
 *     ?                      -> ptr P header H   sizeof(void *), and the bytes before the first
 *                                                object (sizeof(struct slab) rounded up to 16)
 *     init SIZE              -> ok               a fresh cache of SIZE-byte objects; the pages of
 *                                                the old one are all forgotten (and freed)
 *     budget N               -> ok               get_page gives out at most N more pages (a new
 *                                                or a pool page), then returns NULL; -1: no limit
 *     alloc                  -> obj PAGE OFFSET | null
 *     free PAGE OFFSET POISON -> freed | empty PAGE | double | bad
 *                                                slab_free(ptr, POISON (0|1), &page); "empty"
 *                                                names the page *page was set to
 *     stats                  -> slabs S in_use U partial P held N sum M
 *                                S, U: the cache's counters; P: slabs on its partial list; N:
 *                                pages given to the cache and not handed back; M: the in_use
 *                                counts of those slabs added up
 *     read PAGE OFFSET N     -> xHEX             N bytes of the page from OFFSET
 *     size PAGE OFFSET       -> N                slab_object_size(ptr)
 *
 * What the tests cannot see from outside is checked here, and a violation aborts with a message
 * on stderr. Every object slab_alloc returns is filled with its own tag byte, and the tags of all
 * live objects are checked on every request (a slab that hands out overlapping objects, or
 * writes into a live one, is caught); a free that returns SLAB_DOUBLE_FREE or SLAB_BAD_POINTER
 * must leave the cache, every page and the foreign page exactly as they were; SLAB_PAGE_EMPTY
 * must hand back the page that held the object; the partial list must be well linked, hold only
 * slabs of this cache with room, and get_page is called only when that list is empty.
 */
#include <lib/slab.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "slab_driver"
#include "driver_io.h"

#define LINE_MAX_SIZE 256
#define MAX_PAGES     256
#define MAX_LIVE      (MAX_PAGES * SLAB_PAGE_SIZE / SLAB_MIN_OBJECT)
#define GARBAGE       0xdd
#define FOREIGN_FILL  0x5a

enum page_state { PAGE_NONE, PAGE_HELD, PAGE_POOL };

static struct slab_cache cache;
static uint8_t *pages[MAX_PAGES];
static enum page_state states[MAX_PAGES];
static unsigned page_count;
static long budget = -1;
static uint8_t *foreign;

struct live {
    uint8_t *obj;
    uint8_t tag;
};
static struct live live[MAX_LIVE];
static unsigned live_count;
static uint8_t next_tag = 1;

static int page_number(const void *page)
{
    for (unsigned i = 0; i < page_count; i++) {
        if (pages[i] == page) {
            return (int)i;
        }
    }
    return -1;
}

static void *get_page(void *ctx)
{
    (void)ctx;
    if (cache.partial != NULL) {
        die("get_page called while the cache has a slab with room");
    }
    if (budget == 0) {
        return NULL;
    }
    if (budget > 0) {
        budget--;
    }
    for (unsigned i = 0; i < page_count; i++) {
        if (states[i] == PAGE_POOL) {
            states[i] = PAGE_HELD;
            memset(pages[i], GARBAGE, SLAB_PAGE_SIZE); /* a page is not handed out clean */
            return pages[i];
        }
    }
    if (page_count == MAX_PAGES) {
        die("more pages than the driver keeps");
    }
    uint8_t *page = aligned_alloc(SLAB_PAGE_SIZE, SLAB_PAGE_SIZE);
    if (page == NULL) {
        die("out of memory");
    }
    memset(page, GARBAGE, SLAB_PAGE_SIZE);
    pages[page_count] = page;
    states[page_count] = PAGE_HELD;
    page_count++;
    return page;
}

static void forget_pages(void)
{
    for (unsigned i = 0; i < page_count; i++) {
        free(pages[i]);
        pages[i] = NULL;
        states[i] = PAGE_NONE;
    }
    page_count = 0;
    live_count = 0;
}

static void check_live(void)
{
    for (unsigned i = 0; i < live_count; i++) {
        for (uint32_t b = 0; b < cache.object_size; b++) {
            if (live[i].obj[b] != live[i].tag) {
                die("a live object was overwritten");
            }
        }
    }
}

static void check_partial_list(unsigned *length)
{
    unsigned n = 0;
    const struct slab *prev = NULL;
    for (const struct slab *s = cache.partial; s != NULL; s = s->next) {
        int number = page_number(s);
        if (number < 0 || states[number] != PAGE_HELD) {
            die("the partial list holds a page the cache does not hold");
        }
        if (s->magic != SLAB_MAGIC || s->cache != &cache || s->prev != prev) {
            die("a slab on the partial list is badly linked or not of this cache");
        }
        if (s->in_use >= s->capacity) {
            die("a full slab on the partial list");
        }
        if (++n > page_count) {
            die("the partial list has a loop");
        }
        prev = s;
    }
    *length = n;
}

/* PAGE OFFSET -> a pointer; PAGE may be F, the foreign page. */
static uint8_t *pointer(const char *page_word, const char *offset_word)
{
    if (page_word == NULL || offset_word == NULL) {
        die("missing PAGE OFFSET");
    }
    char *end;
    unsigned long offset = strtoul(offset_word, &end, 10);
    if (*end != '\0' || offset >= SLAB_PAGE_SIZE) {
        die_detail("bad OFFSET", offset_word);
    }
    if (strcmp(page_word, "F") == 0) {
        return foreign + offset;
    }
    unsigned long number = strtoul(page_word, &end, 10);
    if (*end != '\0' || number >= page_count) {
        die_detail("bad PAGE", page_word);
    }
    return pages[number] + offset;
}

static void print_pointer(const uint8_t *p)
{
    const uint8_t *page = (const uint8_t *)((uintptr_t)p & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));
    int number = page_number(page);
    if (number < 0) {
        die("slab_alloc returned a pointer outside every page");
    }
    printf("obj %d %u\n", number, (unsigned)(p - page));
}

static void do_alloc(void)
{
    void *obj = slab_alloc(&cache, get_page, NULL);
    if (obj == NULL) {
        printf("null\n");
        return;
    }
    if (live_count == MAX_LIVE) {
        die("too many live objects");
    }
    uint8_t tag = next_tag;
    next_tag = next_tag == 0xff ? 1 : next_tag + 1;
    memset(obj, tag, cache.object_size);
    live[live_count].obj = obj;
    live[live_count].tag = tag;
    live_count++;
    print_pointer(obj);
}

static void do_free(uint8_t *p, int poison)
{
    static uint8_t before[MAX_PAGES][SLAB_PAGE_SIZE];
    static uint8_t foreign_before[SLAB_PAGE_SIZE];
    struct slab_cache cache_before = cache;
    for (unsigned i = 0; i < page_count; i++) {
        memcpy(before[i], pages[i], SLAB_PAGE_SIZE);
    }
    memcpy(foreign_before, foreign, SLAB_PAGE_SIZE);
    unsigned index = MAX_LIVE;
    for (unsigned i = 0; i < live_count; i++) {
        if (live[i].obj == p) {
            index = i;
        }
    }

    void *page = NULL;
    enum slab_free_result result = slab_free(p, poison, &page);

    if (result == SLAB_DOUBLE_FREE || result == SLAB_BAD_POINTER) {
        if (memcmp(&cache_before, &cache, sizeof(cache)) != 0) {
            die("a refused free changed the cache");
        }
        for (unsigned i = 0; i < page_count; i++) {
            if (memcmp(before[i], pages[i], SLAB_PAGE_SIZE) != 0) {
                die("a refused free changed a page");
            }
        }
        if (memcmp(foreign_before, foreign, SLAB_PAGE_SIZE) != 0) {
            die("a refused free changed the foreign page");
        }
        printf(result == SLAB_DOUBLE_FREE ? "double\n" : "bad\n");
        return;
    }
    if (result != SLAB_FREED && result != SLAB_PAGE_EMPTY) {
        die("slab_free returned something unknown");
    }
    if (index == MAX_LIVE) {
        die("slab_free took back an object that was not live");
    }
    live[index] = live[--live_count];
    if (result == SLAB_FREED) {
        printf("freed\n");
        return;
    }
    int number = page_number(page);
    if (page != (void *)((uintptr_t)p & ~(uintptr_t)(SLAB_PAGE_SIZE - 1)) || number < 0 ||
        states[number] != PAGE_HELD) {
        die("SLAB_PAGE_EMPTY handed back a page other than the object's");
    }
    states[number] = PAGE_POOL;
    printf("empty %d\n", number);
}

static void do_stats(void)
{
    unsigned partial;
    check_partial_list(&partial);
    unsigned held = 0;
    unsigned long sum = 0;
    for (unsigned i = 0; i < page_count; i++) {
        if (states[i] == PAGE_HELD) {
            held++;
            sum += ((const struct slab *)pages[i])->in_use;
        }
    }
    printf("slabs %u in_use %u partial %u held %u sum %lu\n", cache.slabs, cache.in_use, partial,
           held, sum);
}

static void request(char *line)
{
    char *words[6];
    int count = split_request(line, words, 6);
    const char *op = words[0];
    const char *arg1 = count > 1 ? words[1] : NULL;
    const char *arg2 = count > 2 ? words[2] : NULL;
    const char *arg3 = count > 3 ? words[3] : NULL;
    if (strcmp(op, "?") == 0) {
        printf("ptr %zu header %zu\n", sizeof(void *), (sizeof(struct slab) + 15u) & ~(size_t)15u);
    } else if (strcmp(op, "init") == 0 && arg1) {
        forget_pages();
        slab_cache_init(&cache, (uint32_t)strtoul(arg1, NULL, 10));
        budget = -1;
        printf("ok\n");
    } else if (strcmp(op, "budget") == 0 && arg1) {
        budget = strtol(arg1, NULL, 10);
        printf("ok\n");
    } else if (strcmp(op, "alloc") == 0) {
        do_alloc();
    } else if (strcmp(op, "free") == 0 && arg3) {
        do_free(pointer(arg1, arg2), strcmp(arg3, "1") == 0);
    } else if (strcmp(op, "stats") == 0) {
        do_stats();
    } else if (strcmp(op, "read") == 0 && arg3) {
        const uint8_t *p = pointer(arg1, arg2);
        unsigned long n = strtoul(arg3, NULL, 10);
        if (n > SLAB_PAGE_SIZE - (unsigned long)((uintptr_t)p % SLAB_PAGE_SIZE)) {
            die_detail("read past the page", arg3);
        }
        print_xhex(p, n);
        putchar('\n');
    } else if (strcmp(op, "size") == 0 && arg2) {
        printf("%u\n", slab_object_size(pointer(arg1, arg2)));
    } else {
        die_detail("unknown request", op);
    }
}

/* Every request, then the tags of all live objects. */
static void answer(char *line)
{
    request(line);
    check_live();
}

int main(void)
{
    foreign = aligned_alloc(SLAB_PAGE_SIZE, SLAB_PAGE_SIZE);
    if (foreign == NULL) {
        die("out of memory");
    }
    memset(foreign, FOREIGN_FILL, SLAB_PAGE_SIZE);
    slab_cache_init(&cache, 64);
    static char line[LINE_MAX_SIZE];
    serve_lines(line, sizeof(line), answer);
    forget_pages();
    free(foreign);
    return 0;
}
