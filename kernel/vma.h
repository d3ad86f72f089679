#pragma once
/*
 * The areas of a user address space (Linux's VMAs, xv6-simple): what each range of pages is
 * and may be, so the fault path knows what to map on first touch and the protection every page
 * must keep. A sorted array of non-overlapping, page-aligned ranges, grown with krealloc.
 *
 * Ringlet's areas: a program's loaded segments and a flat image (anonymous: their file bytes
 * are copied in at exec, the rest is demand-zero), and what mmap2 makes (anonymous, or a private
 * copy of a file of the boot tree, filled page by page on first touch). The heap (brk) and the
 * stack are not areas: the fault path knows them from the process (fault.c).
 */
#include <stdbool.h>
#include <stdint.h>

/* Protection bits: Linux's PROT_READ, PROT_WRITE, PROT_EXEC (0 is PROT_NONE). */
#define VMA_READ  0x1u
#define VMA_WRITE 0x2u
#define VMA_EXEC  0x4u

/* Area flags */
#define VMA_SHARED 0x1u /* MAP_SHARED (of a read-only file): mprotect may never add PROT_WRITE */

#define VMA_MAX 1024u /* areas per address space (Linux allows 65530; this is plenty here) */

struct vma {
    uint32_t start; /* page-aligned, inclusive */
    uint32_t end;   /* page-aligned, exclusive */
    unsigned prot;
    unsigned flags; /* VMA_SHARED */
    /* File-backed areas (private copies): the page at start holds file byte offset; bytes
     * past size read as zero. data is NULL for an anonymous (demand-zero) area. */
    const uint8_t *data;
    uint32_t size;
    uint32_t offset;
};

struct vma_list {
    struct vma *items;
    unsigned count;
    unsigned capacity;
};

/* The area holding addr, or NULL. */
const struct vma *vma_find(const struct vma_list *list, uint32_t addr);

/* True when an area overlapping [start, end) has flag set. */
bool vma_range_has_flag(const struct vma_list *list, uint32_t start, uint32_t end, unsigned flag);

/* True when no area overlaps [start, end). */
bool vma_range_free(const struct vma_list *list, uint32_t start, uint32_t end);

/*
 * Adds area a, which must not overlap any area (check with vma_range_free); merges it with an
 * anonymous neighbour of the same protection. Returns 0 or -ENOMEM (list unchanged).
 */
int vma_insert(struct vma_list *list, const struct vma *a);

/*
 * Removes [start, end) from every area it touches, splitting an area it cuts in two.
 * Returns 0 or -ENOMEM (a split needed room that could not be had; list unchanged).
 */
int vma_remove(struct vma_list *list, uint32_t start, uint32_t end);

/*
 * Sets the protection of [start, end) to prot, splitting areas at the ends. Returns 0,
 * -ENOMEM when part of the range is in no area (Linux's mprotect answer) or a split needed room
 * that could not be had (list unchanged either way).
 */
int vma_protect(struct vma_list *list, uint32_t start, uint32_t end, unsigned prot);

/*
 * The highest page-aligned start for len bytes (len page-aligned) with the whole range free
 * and inside [floor, ceiling); 0 when there is none.
 */
uint32_t vma_find_gap(const struct vma_list *list, uint32_t len, uint32_t floor, uint32_t ceiling);

/*
 * Makes room for more areas, so that the next `more` insertions or splits cannot fail (a call
 * that changes several areas reserves first and then cannot stop half-way). 0 or -ENOMEM.
 */
int vma_reserve(struct vma_list *list, unsigned more);

/* Grows the area that ends at end up to new_end; [end, new_end) must be free of areas.
 * Returns 0, or -EFAULT when no area ends at end. */
int vma_extend(struct vma_list *list, uint32_t end, uint32_t new_end);

/* The part [start, end) of the area holding start, as an area of its own (a file area's offset
 * follows start); that area must hold the whole range. */
struct vma vma_piece(const struct vma *a, uint32_t start, uint32_t end);

/* Makes dst a copy of src (dst must be empty). Returns 0 or -ENOMEM (dst left empty). */
int vma_copy(struct vma_list *dst, const struct vma_list *src);

/* Frees the list's storage; the list is empty afterwards. */
void vma_clear(struct vma_list *list);

/* The page protection (vm.h's VM_WRITE, 0 or VM_NOACCESS) for an area's PROT_* bits. */
unsigned vma_page_prot(unsigned prot);
