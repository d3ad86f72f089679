/*
 * malloc, free, calloc and realloc on the program break.
 *
 * The heap is one run of blocks from heap_start up to the break (heap_end), each starting with a
 * 16-byte header, so every payload is 16-byte aligned and a block's size (header included) is a
 * multiple of 16. Free blocks sit on one list sorted by address: allocation takes the first
 * block that fits and splits off the rest; freeing puts the block back in place and merges it
 * with the free blocks just before and after it, so neighbours never stay apart. When nothing
 * fits, the break grows (by at least GROW_STEP, to save system calls), extending the last free
 * block when it touches the break. The break never shrinks; freed memory is reused instead.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALIGNMENT 16
#define MIN_BLOCK (2 * ALIGNMENT) /* a header and 16 bytes of payload */
#define GROW_STEP (64 * 1024)
/* Larger requests fail before any arithmetic on them can overflow. */
#define MAX_REQUEST (SIZE_MAX / 2)

#define MAGIC_USED 0x75736564u /* "used" */
#define MAGIC_FREE 0x66726565u /* "free" */

struct block {
    size_t size;        /* bytes, header included; a multiple of ALIGNMENT */
    uint32_t magic;     /* MAGIC_USED or MAGIC_FREE: catches bad and double frees */
    struct block *next; /* next free block by address; meaningful only while free */
    uint32_t reserved;
};

_Static_assert(sizeof(struct block) == ALIGNMENT, "the header keeps payloads aligned");

static uintptr_t heap_start; /* 0 until the first allocation */
static uintptr_t heap_end;   /* the break as malloc last set it */
static struct block *free_list;

static size_t align_up(size_t n, size_t alignment)
{
    return (n + alignment - 1) & ~(alignment - 1);
}

static struct block *block_after(struct block *b)
{
    return (struct block *)((uintptr_t)b + b->size);
}

__attribute__((noreturn)) static void heap_corrupt(const char *function, const void *p)
{
    dprintf(STDERR_FILENO, "%s: bad pointer %p (not allocated, or freed twice)\n", function, p);
    abort();
}

/* The header of a pointer malloc handed out; aborts when p is not one. */
static struct block *block_of(const char *function, void *p)
{
    uintptr_t address = (uintptr_t)p;
    if (address % ALIGNMENT != 0 || address < heap_start + sizeof(struct block) ||
        address >= heap_end) {
        heap_corrupt(function, p);
    }
    struct block *b = (struct block *)p - 1;
    if (b->magic != MAGIC_USED || b->size > heap_end - (uintptr_t)b) {
        heap_corrupt(function, p);
    }
    return b;
}

/* Takes the break over on first use, aligning it. Returns false when brk does not work. */
static bool heap_init(void)
{
    if (heap_start != 0) {
        return true;
    }
    uintptr_t current = __brk(0);
    uintptr_t aligned = align_up(current, ALIGNMENT);
    if (current == (uintptr_t)-1 || aligned < current) {
        return false;
    }
    if (aligned != current && __brk(aligned) != aligned) {
        return false;
    }
    heap_start = heap_end = aligned;
    return true;
}

/*
 * Puts the free block b on the list at its address and merges it with an adjacent free block
 * before or after it. Aborts when b overlaps a block already on the list (a double free).
 */
static void free_insert(struct block *b, void *user_pointer)
{
    struct block *prev = NULL;
    struct block *next = free_list;
    while (next != NULL && next < b) {
        prev = next;
        next = next->next;
    }
    if ((next != NULL && (uintptr_t)b + b->size > (uintptr_t)next) ||
        (prev != NULL && (uintptr_t)block_after(prev) > (uintptr_t)b)) {
        heap_corrupt("free", user_pointer);
    }
    b->magic = MAGIC_FREE;
    b->next = next;
    if (prev != NULL) {
        prev->next = b;
    } else {
        free_list = b;
    }
    if (next != NULL && block_after(b) == next) {
        b->size += next->size;
        b->next = next->next;
        next->magic = 0;
    }
    if (prev != NULL && block_after(prev) == b) {
        prev->size += b->size;
        prev->next = b->next;
        b->magic = 0;
    }
}

/*
 * Makes b exactly size bytes when the rest is big enough to be a block of its own, and frees
 * that rest. b must not be on the free list.
 */
static void block_trim(struct block *b, size_t size)
{
    if (b->size - size >= MIN_BLOCK) {
        struct block *rest = (struct block *)((uintptr_t)b + size);
        rest->size = b->size - size;
        b->size = size;
        free_insert(rest, rest + 1);
    }
}

/* Unlinks and returns the first free block of at least size bytes, trimmed; NULL when none fits. */
static struct block *take_first_fit(size_t size)
{
    for (struct block **link = &free_list; *link != NULL; link = &(*link)->next) {
        struct block *b = *link;
        if (b->size >= size) {
            *link = b->next;
            b->magic = MAGIC_USED;
            block_trim(b, size);
            return b;
        }
    }
    return NULL;
}

/*
 * Grows the break so the heap has a free block of at least size bytes at its end. Returns false,
 * with the heap unchanged, when the kernel refuses.
 */
static bool heap_grow(size_t size)
{
    struct block *last = free_list;
    while (last != NULL && last->next != NULL) {
        last = last->next;
    }
    size_t need = size;
    if (last != NULL && (uintptr_t)block_after(last) == heap_end) {
        need = size - last->size; /* last is smaller than size, or it would have fit */
    }
    /* A generous step first to save system calls; when the kernel refuses, exactly the need. */
    size_t attempts[2] = { align_up(need, GROW_STEP), need };
    for (int i = 0; i < 2; i++) {
        if (attempts[i] < need || attempts[i] > UINTPTR_MAX - heap_end) {
            continue;
        }
        uintptr_t want = heap_end + attempts[i];
        if (__brk(want) == want) {
            struct block *b = (struct block *)heap_end;
            b->size = attempts[i];
            heap_end = want;
            free_insert(b, b + 1);
            return true;
        }
    }
    return false;
}

/* The block size serving a request of n bytes; 0 when n is too large. */
static size_t block_size_for(size_t n)
{
    if (n > MAX_REQUEST) {
        return 0;
    }
    size_t size = align_up(n + sizeof(struct block), ALIGNMENT);
    return size < MIN_BLOCK ? MIN_BLOCK : size;
}

void *malloc(size_t n)
{
    size_t size = block_size_for(n);
    if (size == 0 || !heap_init()) {
        errno = ENOMEM;
        return NULL;
    }
    struct block *b = take_first_fit(size);
    if (b == NULL) {
        if (!heap_grow(size)) {
            errno = ENOMEM;
            return NULL;
        }
        b = take_first_fit(size);
    }
    return b + 1;
}

void free(void *p)
{
    if (p == NULL) {
        return;
    }
    free_insert(block_of("free", p), p);
}

void *calloc(size_t nmemb, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(total);
    if (p != NULL) {
        memset(p, 0, total);
    }
    return p;
}

void *realloc(void *p, size_t n)
{
    if (p == NULL) {
        return malloc(n);
    }
    struct block *b = block_of("realloc", p);
    if (n == 0) {
        free(p);
        return NULL;
    }
    size_t size = block_size_for(n);
    if (size == 0) {
        errno = ENOMEM;
        return NULL;
    }
    if (b->size >= size) {
        block_trim(b, size);
        return p;
    }
    /* Grow in place when the block after is free and big enough together with this one. */
    struct block *after = block_after(b);
    if ((uintptr_t)after < heap_end && after->magic == MAGIC_FREE &&
        b->size + after->size >= size) {
        struct block **link = &free_list;
        while (*link != after) {
            link = &(*link)->next;
        }
        *link = after->next;
        after->magic = 0;
        b->size += after->size;
        block_trim(b, size);
        return p;
    }
    void *moved = malloc(n);
    if (moved == NULL) {
        return NULL;
    }
    memcpy(moved, p, b->size - sizeof(struct block));
    free(p);
    return moved;
}
