/*
 * System calls about the calling process: exit, ids, yield, the heap break.
 */
#include <errno.h>
#include <frames.h>
#include <proc.h>

#include <arch/memlayout.h>

long sys_exit(int status)
{
    proc_exit(status);
}

long sys_exit_group(int status)
{
    proc_exit(status);
}

long sys_getpid(void)
{
    return current->pid;
}

long sys_getppid(void)
{
    return current->parent_pid;
}

long sys_sched_yield(void)
{
    sched_yield_current();
    return 0;
}

/* Unmaps the heap pages in [from, to) (both page-aligned). */
static void shrink_heap(struct proc *p, uint32_t from, uint32_t to)
{
    for (uint32_t page = from; page < to; page += PAGE_SIZE) {
        vm_unmap(&p->space, page);
    }
}

/*
 * Linux's brk: moves the end of the heap to end and returns the new end; returns the current
 * end unchanged when end is out of range or memory runs out (brk(0) asks for it).
 */
long sys_brk(uint32_t end)
{
    struct proc *p = current;
    uint32_t heap_limit = p->stack_limit - PAGE_SIZE; /* a gap before the stack's reach */
    if (end < p->brk_start || end > heap_limit) {
        return (long)p->brk;
    }
    uint32_t old_top = (p->brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint32_t new_top = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    for (uint32_t page = old_top; page < new_top; page += PAGE_SIZE) {
        uint32_t frame = frame_alloc_zeroed();
        if (frame == 0 || vm_map(&p->space, page, frame, VM_WRITE) != 0) {
            if (frame) {
                frame_free(frame);
            }
            shrink_heap(p, old_top, page);
            return (long)p->brk;
        }
    }
    shrink_heap(p, new_top, old_top);
    p->brk = end;
    return (long)p->brk;
}
