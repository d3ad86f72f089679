#include <mm.h>

#include <heap.h>
#include <lib/string.h>

#include <arch/memlayout.h>

struct mm *mm_new(void)
{
    struct mm *mm = kmalloc(sizeof(*mm));
    if (mm == NULL) {
        return NULL;
    }
    memset(mm, 0, sizeof(*mm));
    if (vm_create(&mm->space) != 0) {
        kfree(mm);
        return NULL;
    }
    mm->refs = 1;
    return mm;
}

struct mm *mm_fork(struct mm *from)
{
    struct mm *mm = kmalloc(sizeof(*mm));
    if (mm == NULL) {
        return NULL;
    }
    *mm = *from;
    if (vm_fork(&from->space, &mm->space) != 0) {
        kfree(mm);
        return NULL;
    }
    mm->refs = 1;
    return mm;
}

void mm_get(struct mm *mm)
{
    mm->refs++;
}

void mm_put(struct mm *mm)
{
    if (mm && --mm->refs == 0) {
        vm_destroy(&mm->space);
        kfree(mm);
    }
}

bool mm_range_unused(const struct mm *mm, uint32_t start, uint32_t end)
{
    uint32_t heap_top = (mm->brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    bool in_heap = start < heap_top && end > mm->brk_start;
    bool in_stack = end > mm->stack_limit;
    return !in_heap && !in_stack && vma_range_free(&mm->space.areas, start, end);
}

int mm_unmap(struct mm *mm, uint32_t start, uint32_t end)
{
    int err = vma_remove(&mm->space.areas, start, end);
    if (err == 0) {
        vm_unmap_range(&mm->space, start, end);
    }
    return err;
}

uint32_t mm_map_floor(const struct mm *mm)
{
    uint32_t heap_top = (mm->brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    return heap_top > USER_BASE ? heap_top : USER_BASE;
}

uint32_t mm_map_ceiling(const struct mm *mm)
{
    return mm->stack_limit - PAGE_SIZE;
}
