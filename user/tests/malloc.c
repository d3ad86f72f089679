/*
 * The heap allocator: many sizes, frees in random order, realloc growing and shrinking with
 * contents kept, calloc zeroing reused memory, requests that must fail, and no two live blocks
 * ever overlapping. Then the same work again, five times over: with everything freed in
 * between, the allocator must reuse its memory, so the program break must not move at all.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCKS  256
#define REPEATS 5

struct allocation {
    unsigned char *p;
    size_t size;
    unsigned char fill;
};

static struct allocation live[BLOCKS];
static uint32_t rng_state;
static int failures;

static void fail(const char *what, unsigned long a, unsigned long b)
{
    printf("malloc: FAIL %s (%lu, %lu)\n", what, a, b);
    failures++;
}

/* xorshift32: the same seed gives the same run. */
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Mostly small sizes, the awkward ones around 16, and now and then a large block. */
static size_t random_size(void)
{
    static const size_t edges[] = { 0, 1, 15, 16, 17, 31, 32, 33, 4095, 4096, 4097 };
    uint32_t r = rng();
    switch (r % 8) {
    case 0:
        return edges[(r >> 8) % (sizeof(edges) / sizeof(edges[0]))];
    case 1:
        return 16384 + (r >> 8) % 50000;
    default:
        return 1 + (r >> 8) % 3000;
    }
}

static void fill(struct allocation *a, unsigned char value)
{
    a->fill = value;
    memset(a->p, value, a->size);
}

static void check_contents(const struct allocation *a, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        if (a->p[i] != a->fill) {
            fail("block contents changed", (unsigned long)(uintptr_t)a->p, i);
            return;
        }
    }
}

static void allocate(struct allocation *a, size_t size, unsigned char value)
{
    a->p = malloc(size);
    a->size = size;
    if (a->p == NULL) {
        fail("malloc returned NULL", size, 0);
        a->size = 0;
        return;
    }
    if ((uintptr_t)a->p % 16 != 0) {
        fail("pointer not 16-byte aligned", (unsigned long)(uintptr_t)a->p, size);
    }
    fill(a, value);
}

static void release(struct allocation *a)
{
    free(a->p);
    a->p = NULL;
    a->size = 0;
}

/* Every live block keeps its fill and no two live blocks overlap. */
static void check_all(void)
{
    for (int i = 0; i < BLOCKS; i++) {
        if (live[i].p == NULL) {
            continue;
        }
        check_contents(&live[i], live[i].size);
        uintptr_t start = (uintptr_t)live[i].p;
        uintptr_t end = start + (live[i].size == 0 ? 1 : live[i].size);
        for (int j = i + 1; j < BLOCKS; j++) {
            if (live[j].p == NULL) {
                continue;
            }
            uintptr_t other_start = (uintptr_t)live[j].p;
            uintptr_t other_end = other_start + (live[j].size == 0 ? 1 : live[j].size);
            if (start < other_end && other_start < end) {
                fail("blocks overlap", start, other_start);
            }
        }
    }
}

static void shuffle(int *order, int n)
{
    for (int i = 0; i < n; i++) {
        order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(rng() % (uint32_t)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

/* One round of allocations, random frees, reallocs and frees of everything that is left. */
static void round_of_work(uint32_t seed)
{
    static int order[BLOCKS];
    rng_state = seed;

    for (int i = 0; i < BLOCKS; i++) {
        allocate(&live[i], random_size(), (unsigned char)(i * 37 + 1));
    }
    check_all();

    /* Free half in random order and allocate those slots again with new sizes. */
    shuffle(order, BLOCKS);
    for (int i = 0; i < BLOCKS / 2; i++) {
        release(&live[order[i]]);
    }
    check_all();
    for (int i = 0; i < BLOCKS / 2; i++) {
        allocate(&live[order[i]], random_size(), (unsigned char)(i * 11 + 3));
    }
    check_all();

    /* Grow a quarter of the blocks and shrink another quarter; the old contents must survive. */
    shuffle(order, BLOCKS);
    for (int i = 0; i < BLOCKS / 2; i++) {
        struct allocation *a = &live[order[i]];
        size_t old_size = a->size;
        size_t new_size = i < BLOCKS / 4 ? old_size * 2 + 100 : old_size / 3;
        unsigned char *p = realloc(a->p, new_size);
        if (p == NULL && new_size != 0) {
            fail("realloc returned NULL", old_size, new_size);
            continue;
        }
        a->p = p;
        a->size = new_size;
        check_contents(a, old_size < new_size ? old_size : new_size);
        if (p != NULL) {
            fill(a, a->fill);
        }
    }
    check_all();

    shuffle(order, BLOCKS);
    for (int i = 0; i < BLOCKS; i++) {
        release(&live[order[i]]);
    }
}

/* Growing one buffer a little at a time, with other allocations in between forcing moves. */
static void realloc_growth(void)
{
    unsigned char *buf = NULL;
    void *spacers[64];
    int spacer_count = 0;
    for (size_t n = 1; n <= 6000; n += 37) {
        unsigned char *p = realloc(buf, n);
        if (p == NULL) {
            fail("realloc growth returned NULL", n, 0);
            break;
        }
        size_t kept = n > 37 ? n - 37 : 0; /* the previous size */
        for (size_t i = 0; i < kept; i++) {
            if (p[i] != (unsigned char)(i * 13)) {
                fail("realloc growth lost contents", n, i);
                break;
            }
        }
        for (size_t i = 0; i < n; i++) {
            p[i] = (unsigned char)(i * 13);
        }
        buf = p;
        if (spacer_count < 64 && n % 3 == 0) {
            spacers[spacer_count++] = malloc(24);
        }
    }
    free(buf);
    for (int i = 0; i < spacer_count; i++) {
        free(spacers[i]);
    }
}

static void edge_cases(void)
{
    free(NULL);

    void *zero = malloc(0);
    if (zero == NULL) {
        fail("malloc(0) returned NULL", 0, 0);
    }
    free(zero);

    /* calloc must zero memory that a previous block dirtied. */
    unsigned char *dirty = malloc(4000);
    if (dirty != NULL) {
        memset(dirty, 0xff, 4000);
    }
    free(dirty);
    unsigned char *clean = calloc(1000, 4);
    if (clean == NULL) {
        fail("calloc returned NULL", 1000, 4);
    } else {
        for (int i = 0; i < 4000; i++) {
            if (clean[i] != 0) {
                fail("calloc memory not zero", (unsigned long)i, clean[i]);
                break;
            }
        }
    }
    free(clean);

    errno = 0;
    if (calloc(0x10000, 0x10001) != NULL || errno != ENOMEM) {
        fail("calloc overflow did not fail with ENOMEM", 0x10000, 0x10001);
    }
    errno = 0;
    if (malloc(0xC0000000u) != NULL || errno != ENOMEM) {
        fail("malloc(3 GiB) did not fail with ENOMEM", 0xC0000000u, 0);
    }
    if (malloc(SIZE_MAX) != NULL) {
        fail("malloc(SIZE_MAX) did not fail", SIZE_MAX, 0);
    }

    char *copy = strdup("a string to copy");
    if (copy == NULL || strcmp(copy, "a string to copy") != 0) {
        fail("strdup", 0, 0);
    }
    free(copy);
}

int main(void)
{
    edge_cases();
    realloc_growth();
    round_of_work(0x2545f491);

    unsigned long first_break = __brk(0);
    for (int i = 0; i < REPEATS; i++) {
        round_of_work(0x2545f491);
    }
    unsigned long last_break = __brk(0);
    printf("malloc: break 0x%08lx after the first round, 0x%08lx after %d more\n", first_break,
           last_break, REPEATS);
    if (last_break != first_break) {
        fail("the break grew although everything was freed", first_break, last_break);
    }

    if (failures == 0) {
        printf("malloc: ok\n");
    }
    return failures == 0 ? 0 : 1;
}
