#include <mm.h>

#include <heap.h>
#include <lib/string.h>

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
