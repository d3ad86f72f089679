#include <vma.h>

#include <heap.h>
#include <lib/string.h>
#include <vm.h>

#include <abi/errno.h>

/* Index of the first area that ends above addr (count when none). */
static unsigned first_ending_above(const struct vma_list *list, uint32_t addr)
{
    unsigned lo = 0;
    unsigned hi = list->count;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (list->items[mid].end <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

const struct vma *vma_find(const struct vma_list *list, uint32_t addr)
{
    /* Above the last area (the stack's faults always are, the heap's mostly): no search. */
    if (list->count == 0 || addr >= list->items[list->count - 1].end) {
        return NULL;
    }
    unsigned i = first_ending_above(list, addr);
    return i < list->count && list->items[i].start <= addr ? &list->items[i] : NULL;
}

bool vma_range_has_flag(const struct vma_list *list, uint32_t start, uint32_t end, unsigned flag)
{
    for (unsigned i = first_ending_above(list, start);
         i < list->count && list->items[i].start < end; i++) {
        if (list->items[i].flags & flag) {
            return true;
        }
    }
    return false;
}

bool vma_range_free(const struct vma_list *list, uint32_t start, uint32_t end)
{
    unsigned i = first_ending_above(list, start);
    return i == list->count || list->items[i].start >= end;
}

/* Makes room for `more` additional areas. 0 or -ENOMEM. */
int vma_reserve(struct vma_list *list, unsigned more)
{
    if (list->count + more <= list->capacity) {
        return 0;
    }
    if (list->count + more > VMA_MAX) {
        return -ENOMEM;
    }
    unsigned capacity = list->capacity ? list->capacity * 2 : 8;
    while (capacity < list->count + more) {
        capacity *= 2;
    }
    if (capacity > VMA_MAX) {
        capacity = VMA_MAX;
    }
    struct vma *items = krealloc(list->items, capacity * sizeof(*items));
    if (items == NULL) {
        return -ENOMEM;
    }
    list->items = items;
    list->capacity = capacity;
    return 0;
}

static void insert_at(struct vma_list *list, unsigned i, const struct vma *a)
{
    memmove(&list->items[i + 1], &list->items[i], (list->count - i) * sizeof(*a));
    list->items[i] = *a;
    list->count++;
}

static void remove_at(struct vma_list *list, unsigned i)
{
    memmove(&list->items[i], &list->items[i + 1], (list->count - i - 1) * sizeof(list->items[0]));
    list->count--;
}

static bool mergeable(const struct vma *left, const struct vma *right)
{
    return left->end == right->start && left->prot == right->prot && left->flags == right->flags &&
           left->data == NULL && right->data == NULL;
}

/* Merges area i with its neighbours where both are anonymous with the same protection. */
static void merge_around(struct vma_list *list, unsigned i)
{
    if (i + 1 < list->count && mergeable(&list->items[i], &list->items[i + 1])) {
        list->items[i].end = list->items[i + 1].end;
        remove_at(list, i + 1);
    }
    if (i > 0 && mergeable(&list->items[i - 1], &list->items[i])) {
        list->items[i - 1].end = list->items[i].end;
        remove_at(list, i);
    }
}

int vma_insert(struct vma_list *list, const struct vma *a)
{
    if (vma_reserve(list, 1) != 0) {
        return -ENOMEM;
    }
    unsigned i = first_ending_above(list, a->start);
    insert_at(list, i, a);
    merge_around(list, i);
    return 0;
}

/* The part of area a from `from` on, as its own area (the file offset moves along). */
static struct vma tail_of(const struct vma *a, uint32_t from)
{
    struct vma t = *a;
    t.start = from;
    if (t.data) {
        t.offset += from - a->start;
    }
    return t;
}

/* Whether addr falls strictly inside an area (cutting there makes one more area). */
static bool cuts_an_area(const struct vma_list *list, uint32_t addr)
{
    unsigned i = first_ending_above(list, addr);
    return i < list->count && list->items[i].start < addr;
}

/* Slots a cut at start and at end needs. */
static unsigned splits(const struct vma_list *list, uint32_t start, uint32_t end)
{
    return (cuts_an_area(list, start) ? 1u : 0u) + (cuts_an_area(list, end) ? 1u : 0u);
}

/* Splits the area containing addr (if any, and addr is inside, not at its start) in two. */
static void split_at(struct vma_list *list, uint32_t addr)
{
    unsigned i = first_ending_above(list, addr);
    if (i == list->count || list->items[i].start >= addr) {
        return;
    }
    struct vma right = tail_of(&list->items[i], addr);
    list->items[i].end = addr;
    insert_at(list, i + 1, &right);
}

int vma_remove(struct vma_list *list, uint32_t start, uint32_t end)
{
    if (vma_reserve(list, splits(list, start, end)) != 0) {
        return -ENOMEM; /* cutting inside areas leaves up to two more pieces for a moment */
    }
    split_at(list, start);
    split_at(list, end);
    unsigned i = first_ending_above(list, start);
    while (i < list->count && list->items[i].start < end) {
        remove_at(list, i);
    }
    return 0;
}

int vma_protect(struct vma_list *list, uint32_t start, uint32_t end, unsigned prot)
{
    /* Linux refuses the whole call when any page of the range is in no area. */
    uint32_t covered = start;
    for (unsigned i = first_ending_above(list, start); i < list->count && covered < end; i++) {
        if (list->items[i].start > covered) {
            break;
        }
        covered = list->items[i].end;
    }
    if (covered < end) {
        return -ENOMEM;
    }
    if (vma_reserve(list, splits(list, start, end)) != 0) {
        return -ENOMEM;
    }
    split_at(list, start);
    split_at(list, end);
    unsigned first = first_ending_above(list, start);
    unsigned i = first;
    for (; i < list->count && list->items[i].start < end; i++) {
        list->items[i].prot = prot;
    }
    for (unsigned j = i; j-- > first;) {
        merge_around(list, j);
    }
    return 0;
}

uint32_t vma_find_gap(const struct vma_list *list, uint32_t len, uint32_t floor, uint32_t ceiling)
{
    if (len == 0 || ceiling < floor || ceiling - floor < len) {
        return 0;
    }
    uint32_t top = ceiling; /* the gap under consideration ends here */
    unsigned i = first_ending_above(list, ceiling - 1);
    if (i < list->count && list->items[i].start < ceiling) {
        top = list->items[i].start; /* an area reaches the ceiling */
    }
    for (;;) {
        uint32_t bottom = i > 0 ? list->items[i - 1].end : 0;
        if (bottom < floor) {
            bottom = floor;
        }
        if (top >= bottom && top - bottom >= len) {
            return top - len;
        }
        if (i == 0) {
            return 0;
        }
        i--;
        top = list->items[i].start;
        if (top <= floor) {
            return 0;
        }
    }
}

int vma_extend(struct vma_list *list, uint32_t end, uint32_t new_end)
{
    unsigned i = first_ending_above(list, end - 1);
    if (i == list->count || list->items[i].end != end) {
        return -EFAULT;
    }
    list->items[i].end = new_end;
    merge_around(list, i);
    return 0;
}

struct vma vma_piece(const struct vma *a, uint32_t start, uint32_t end)
{
    struct vma piece = tail_of(a, start);
    piece.end = end;
    return piece;
}

int vma_copy(struct vma_list *dst, const struct vma_list *src)
{
    if (src->count == 0) {
        return 0;
    }
    if (vma_reserve(dst, src->count) != 0) {
        return -ENOMEM;
    }
    memcpy(dst->items, src->items, src->count * sizeof(src->items[0]));
    dst->count = src->count;
    return 0;
}

void vma_clear(struct vma_list *list)
{
    kfree(list->items);
    *list = (struct vma_list){ 0 };
}

unsigned vma_page_prot(unsigned prot)
{
    if ((prot & (VMA_READ | VMA_WRITE | VMA_EXEC)) == 0) {
        return VM_NOACCESS;
    }
    return (prot & VMA_WRITE) ? VM_WRITE : 0; /* x86 pages are always readable */
}
