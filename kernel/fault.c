/*
 * What a fault means. One path decides every fault on a user page, whether the process itself
 * touched the page or the kernel did for it inside a system call (a user copy, see uaccess.h):
 * inside an area (vma.h: loaded segments, mmap) the area's protection decides, and a missing
 * page is zeros or the area's part of a file; outside the areas a missing page may be stack
 * growth or the heap (demand-zero); a write to a present page may be copy-on-write. What that path
 * cannot resolve kills a process that faulted itself, and makes a user copy return -EFAULT.
 */
#include <proc.h>

#include <arch.h>
#include <kprintf.h>
#include <lib/format.h>

#include <abi/errno.h>
#include <abi/signal.h>

#include <arch/memlayout.h>

#define STACK_REACH_BELOW_ESP (65536u + 256u) /* like Linux: enter/push-all can reach this far */

static bool grows_stack(const struct proc *p, uint32_t address, uint32_t user_esp)
{
    return address >= p->mm->stack_limit && address < USER_STACK_TOP &&
           address + STACK_REACH_BELOW_ESP >= user_esp;
}

static bool in_heap(const struct proc *p, uint32_t address)
{
    return address >= p->mm->brk_start &&
           address < ((p->mm->brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
}

/* A page of area a, first touched at address: zeros, or its part of the file. */
static int fill_area_page(struct proc *p, const struct vma *a, uint32_t address)
{
    uint32_t page = address & ~(PAGE_SIZE - 1);
    unsigned prot = vma_page_prot(a->prot);
    if (a->data == NULL) {
        return vm_map_zeroed(&p->mm->space, page, prot);
    }
    uint32_t at = a->offset + (page - a->start); /* file offset of the page's first byte */
    uint32_t n = at < a->size ? a->size - at : 0;
    return vm_map_filled(&p->mm->space, page, prot, a->data + at, n < PAGE_SIZE ? n : PAGE_SIZE);
}

/* Tries to map what p may have at address. 0 when resolved, -EFAULT or -ENOMEM otherwise. */
static int resolve(struct proc *p, uint32_t address, bool write, bool present, uint32_t user_esp)
{
    const struct vma *a = vma_find(&p->mm->space.areas, address);
    if (a) {
        /* The area decides: PROT_NONE and writes to read-only areas are the program's fault. */
        if (vma_page_prot(a->prot) == VM_NOACCESS || (write && !(a->prot & VMA_WRITE))) {
            return -EFAULT;
        }
        if (present) {
            return write ? vm_resolve_write_fault(&p->mm->space, address) : -EFAULT;
        }
        return fill_area_page(p, a, address);
    }
    if (present) {
        return write ? vm_resolve_write_fault(&p->mm->space, address) : -EFAULT; /* heap, stack */
    }
    if (grows_stack(p, address, user_esp) || in_heap(p, address)) {
        return vm_map_zeroed(&p->mm->space, address, VM_WRITE);
    }
    return -EFAULT;
}

int proc_copy_fault(uint32_t address, bool write, bool present)
{
    struct proc *p = current;
    if (p == NULL) {
        return -EFAULT; /* an in-kernel test copying with no process: nothing to grow */
    }
    /* Out of memory inside a system call is -EFAULT for the call, as in Linux. */
    return resolve(p, address, write, present, arch_user_stack_pointer(p->kstack_top)) == 0
               ? 0
               : -EFAULT;
}

/* A fault the process does not survive as it is: it dies of f->signal, or its handler runs. */
static __attribute__((noinline)) void deliver_fault(struct proc *p, const struct user_fault *f)
{
    char why[160];
    if (f->is_page_fault) {
        const char *hint = "";
        if (!f->present && f->address < p->mm->stack_limit &&
            f->address >= p->mm->stack_limit - STACK_REACH_BELOW_ESP) {
            hint = " (stack overflow: past the stack limit)";
        }
        format_snprintf(why, sizeof(why), "page fault %s 0x%08x (%s) at eip 0x%08x%s",
                        f->write ? "writing" : "reading", f->address,
                        f->present ? "protection violation" : "not present", f->pc, hint);
    } else if (f->error_code) {
        format_snprintf(why, sizeof(why), "%s (error 0x%x) at eip 0x%08x", f->what, f->error_code,
                        f->pc);
    } else {
        format_snprintf(why, sizeof(why), "%s at eip 0x%08x", f->what, f->pc);
    }
    /* The program's handler for the signal runs, if it has one; otherwise it dies of it. */
    struct signal_info info = { .code = SI_KERNEL }; /* #GP and friends: no address, as Linux */
    if (f->is_page_fault) {
        info.code = f->present ? SEGV_ACCERR : SEGV_MAPERR;
        info.addr = f->address;
    }
    signal_fault(f->signal, &info, why);
}

void proc_user_fault(const struct user_fault *f)
{
    struct proc *p = current;
    if (f->is_page_fault) {
        int err = resolve(p, f->address, f->write, f->present, f->sp);
        if (err == 0) {
            return;
        }
        if (err == -ENOMEM) {
            proc_kill_current(SIGKILL, f->present ? "out of memory copying a shared page"
                                                  : "out of memory for a new page");
        }
    }
    /* Out of line: the 160-byte message and its formatting are no part of the resolved fault's
     * path. */
    deliver_fault(p, f);
}
