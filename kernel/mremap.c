/*
 * mremap: shrinking, growing and moving a mapping, as Linux's mm/mremap.c does it. A move
 * carries the page-table entries across (vm_move_range), so the data, copy-on-write sharing
 * and PROT_NONE pages go with them and nothing is copied: musl's realloc of a large block is a
 * mremap with MREMAP_MAYMOVE, and costs a few entries per page instead of a copy.
 *
 * The checks and their order are Linux's (6.x): the flags, the alignment of addr, new_len
 * (after rounding up) not zero, then the area holding addr (-EFAULT when none). The old range
 * must lie inside that one area (-EFAULT). old_len 0 (duplicating a shared mapping) is
 * refused with -EINVAL, as Linux refuses it for private mappings; Ringlet's shared mappings are
 * read-only file mappings, which nobody duplicates this way. The heap and the stack are not
 * areas in Ringlet, so mremap of them answers -EFAULT (Linux would move them).
 */
#include <mm.h>
#include <proc.h>
#include <syscall.h>
#include <vm.h>
#include <vma.h>

#include <abi/errno.h>

#include <arch/memlayout.h>

#define MREMAP_MAYMOVE   1u
#define MREMAP_FIXED     2u
#define MREMAP_DONTUNMAP 4u

#define TASK_SIZE KERNBASE

/* len rounded up to whole pages; 0 when that passes 4 GiB (as Linux's PAGE_ALIGN wraps). */
static uint32_t pages_of(uint32_t len)
{
    return (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Linux's vma_to_resize: the area holding [addr, addr + old_len), fit to become new_len. */
static long area_to_resize(struct mm *mm, uint32_t addr, uint32_t old_len, const struct vma **out)
{
    const struct vma *a = vma_find(&mm->space.areas, addr);
    if (a == NULL) {
        return -EFAULT;
    }
    if (old_len == 0) {
        return -EINVAL; /* duplicating a mapping: Linux does it only for shared memory */
    }
    if (old_len > a->end - addr) {
        return -EFAULT; /* the range runs past its area */
    }
    *out = a;
    return 0;
}

/*
 * Linux's move_vma: [addr, addr + old_len) of area a becomes [to, to + new_len) (new_len may
 * be larger: the rest is what the area would have there, zeros or the file's bytes). The
 * destination must be free of areas. With keep_old (MREMAP_DONTUNMAP) the old range stays
 * mapped, empty. Returns to, or -ENOMEM with nothing changed.
 */
static long move_area(struct mm *mm, const struct vma *a, uint32_t addr, uint32_t old_len,
                      uint32_t to, uint32_t new_len, bool keep_old)
{
    struct vma moved = vma_piece(a, addr, addr + old_len);
    moved.start = to;
    moved.end = to + new_len;
    /* Room for the new area and for cutting the old one out at both ends: after this nothing
     * below can fail half-way. */
    if (vma_reserve(&mm->space.areas, 3) != 0) {
        return -ENOMEM;
    }
    int err = vm_move_range(&mm->space, addr, to, old_len);
    if (err != 0) {
        return err;
    }
    if (!keep_old) {
        (void)vma_remove(&mm->space.areas, addr, addr + old_len); /* reserved: cannot fail */
    }
    (void)vma_insert(&mm->space.areas, &moved);
    return (long)to;
}

/* Linux's mremap_to: MREMAP_FIXED and/or MREMAP_DONTUNMAP, a move to new_addr (or, for
 * DONTUNMAP alone, to wherever there is room). */
static long remap_to(struct mm *mm, uint32_t addr, uint32_t old_len, uint32_t new_addr,
                     uint32_t new_len, uint32_t flags)
{
    if (new_addr & (PAGE_SIZE - 1)) {
        return -EINVAL;
    }
    if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len) {
        return -EINVAL;
    }
    if (addr + old_len > new_addr && new_addr + new_len > addr) {
        return -EINVAL; /* the old and new ranges overlap */
    }
    if (mm->space.areas.count + 2 >= VMA_MAX - 3) {
        return -ENOMEM;
    }
    if (flags & MREMAP_FIXED) {
        long err = mm_unmap(mm, new_addr, new_addr + new_len);
        if (err != 0) {
            return err;
        }
    }
    if (old_len > new_len) {
        long err = mm_unmap(mm, addr + new_len, addr + old_len);
        if (err != 0) {
            return err;
        }
        old_len = new_len;
    }
    const struct vma *a;
    long err = area_to_resize(mm, addr, old_len, &a);
    if (err != 0) {
        return err;
    }
    uint32_t to = new_addr;
    if (flags & MREMAP_FIXED) {
        if (to < USER_BASE) {
            return -EPERM; /* page 0 is never mapped (Linux's mmap_min_addr) */
        }
    } else {
        to = vma_find_gap(&mm->space.areas, new_len, mm_map_floor(mm), mm_map_ceiling(mm));
        if (to == 0) {
            return -ENOMEM;
        }
    }
    return move_area(mm, a, addr, old_len, to, new_len, (flags & MREMAP_DONTUNMAP) != 0);
}

/*
 * Linux's mremap (163): returns the mapping's address afterwards, or -EINVAL (unknown flags,
 * FIXED without MAYMOVE, DONTUNMAP with a size change or without MAYMOVE, addr unaligned,
 * new_len 0, overlapping FIXED ranges), -EFAULT (addr in no area, or the range past its area),
 * -ENOMEM (no room to grow in place without MREMAP_MAYMOVE, no room anywhere), -EPERM (FIXED
 * below the first page).
 */
long sys_mremap(uint32_t addr, uint32_t old_len_in, uint32_t new_len_in, uint32_t flags,
                uint32_t new_addr)
{
    if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP)) {
        return -EINVAL;
    }
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) {
        return -EINVAL;
    }
    if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len_in != new_len_in)) {
        return -EINVAL;
    }
    if (addr & (PAGE_SIZE - 1)) {
        return -EINVAL;
    }
    uint32_t old_len = pages_of(old_len_in);
    uint32_t new_len = pages_of(new_len_in);
    if (new_len == 0) {
        return -EINVAL;
    }
    struct mm *mm = current->mm;
    if (vma_find(&mm->space.areas, addr) == NULL) {
        return -EFAULT;
    }
    if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
        return remap_to(mm, addr, old_len, new_addr, new_len, flags);
    }
    if (old_len >= new_len) { /* shrinking only unmaps the tail */
        if (old_len > new_len) {
            long err = mm_unmap(mm, addr + new_len, addr + old_len);
            if (err != 0) {
                return err;
            }
        }
        return (long)addr;
    }
    const struct vma *a;
    long err = area_to_resize(mm, addr, old_len, &a);
    if (err != 0) {
        return err;
    }
    uint32_t old_end = addr + old_len;
    uint32_t new_end = addr + new_len;
    /* Growing in place stops at the guard gap below the stack, as mmap's placement does. */
    if (old_end == a->end && new_end > old_end && new_end <= mm_map_ceiling(mm) &&
        mm_range_unused(mm, old_end, new_end)) {
        return vma_extend(&mm->space.areas, old_end, new_end) == 0 ? (long)addr : -ENOMEM;
    }
    if (!(flags & MREMAP_MAYMOVE)) {
        return -ENOMEM;
    }
    uint32_t to = vma_find_gap(&mm->space.areas, new_len, mm_map_floor(mm), mm_map_ceiling(mm));
    if (to == 0) {
        return -ENOMEM;
    }
    return move_area(mm, a, addr, old_len, to, new_len, false);
}
