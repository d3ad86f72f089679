/*
 * mmap2, munmap and mprotect: the system calls that make, remove and change the areas of an
 * address space (vma.h). Nothing is mapped here: pages appear when first touched (fault.c), and
 * munmap gives back the pages that were. The checks, their order and the errno values follow
 * Linux's do_mmap, __do_munmap and do_mprotect_pkey.
 *
 * What Ringlet has: private anonymous mappings (and private mappings of /dev/zero), private
 * copies of files (MAP_SHARED too while the mapping is not writable), PROT_NONE reservations,
 * MAP_FIXED (replacing what was there) and MAP_FIXED_NOREPLACE. A file the root still shares
 * with a boot module is filled page by page on first touch from the module's bytes; any other
 * file's pages are copied in at mmap time (so later writes to the file are not seen, which
 * POSIX leaves open for private mappings). What it has not: shared anonymous memory (-EINVAL)
 * and writable shared file mappings (-ENODEV).
 */
#include <heap.h>
#include <syscall.h>
#include <file.h>
#include <proc.h>
#include <tmpfs.h>
#include <vm.h>
#include <vma.h>

#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/mman.h>
#include <abi/stat.h>

#include <arch/memlayout.h>

#define PROT_KNOWN (PROT_READ | PROT_WRITE | PROT_EXEC)

static uint32_t page_round_up(uint32_t n)
{
    return (n + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Maps the pages of [start, start + size) that hold bytes of node from offset on, as copies. */
static long copy_file_pages(struct proc *p, struct inode *node, uint32_t start, uint32_t size,
                            uint32_t offset, uint32_t prot)
{
    uint8_t *page = kmalloc(PAGE_SIZE);
    if (page == NULL) {
        return -ENOMEM;
    }
    long err = 0;
    for (uint32_t at = 0; at < size && offset + at < node->size && err == 0; at += PAGE_SIZE) {
        uint32_t n = tmpfs_read_kernel(node, offset + at, page, PAGE_SIZE);
        err = vm_map_filled(&p->mm->space, start + at, vma_page_prot(prot), page, n);
    }
    kfree(page);
    return err;
}

long sys_mmap2(uint32_t addr, uint32_t len, int prot_bits, int flag_bits, int fd, uint32_t pgoff)
{
    uint32_t prot = (uint32_t)prot_bits;
    uint32_t flags = (uint32_t)flag_bits;
    struct proc *p = current;
    struct inode *node = NULL;
    if (!(flags & MAP_ANONYMOUS)) {
        struct file *f = fd >= 0 && fd < PROC_FDS ? p->files->fds[fd] : NULL;
        if (f == NULL) {
            return -EBADF;
        }
        if (f->type == FILE_DEVICE && (flags & MAP_TYPE) == MAP_PRIVATE) {
            flags |= MAP_ANONYMOUS; /* /dev/zero and friends: fresh zero pages */
        } else if (f->type != FILE_INODE || (f->node->mode & S_IFMT) != S_IFREG ||
                   !tmpfs_owns(f->node)) {
            return -ENODEV; /* the console, pipes, directories and /proc cannot be mapped */
        } else if (f->access != O_RDONLY && f->access != O_RDWR) {
            return -EACCES; /* a mapping must be able to read the file */
        } else {
            node = f->node;
        }
        if (node && (flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE)) {
            return f->access == O_RDWR ? -ENODEV : -EACCES;
        }
    }
    if (len == 0) {
        return -EINVAL;
    }
    uint32_t size = page_round_up(len);
    if (size == 0) {
        return -ENOMEM; /* len rounds up past 4 GiB */
    }
    if (pgoff + (size >> 12) < pgoff || pgoff > (0xffffffffu >> 12)) {
        return -EOVERFLOW;
    }
    if (prot & ~PROT_KNOWN) {
        return -EINVAL;
    }
    uint32_t type = flags & MAP_TYPE;
    if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE) {
        return -EINVAL;
    }
    if (type != MAP_PRIVATE && node == NULL) {
        return -EINVAL; /* shared anonymous memory: not in Ringlet yet */
    }

    bool fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
    uint32_t start;
    if (fixed) {
        if (addr & (PAGE_SIZE - 1)) {
            return -EINVAL;
        }
        if (size > KERNBASE || addr > KERNBASE - size) {
            return -ENOMEM;
        }
        if (addr < USER_BASE) {
            return -EPERM; /* page 0 is never mapped (Linux's mmap_min_addr) */
        }
        if ((flags & MAP_FIXED_NOREPLACE) && !mm_range_unused(p->mm, addr, addr + size)) {
            return -EEXIST; /* with or without MAP_FIXED, as in Linux */
        }
        start = addr;
    } else {
        uint32_t hint = addr & ~(PAGE_SIZE - 1);
        uint32_t ceiling = mm_map_ceiling(p->mm);
        if (hint >= mm_map_floor(p->mm) && hint <= ceiling && size <= ceiling - hint &&
            vma_range_free(&p->mm->space.areas, hint, hint + size)) {
            start = hint;
        } else {
            start = vma_find_gap(&p->mm->space.areas, size, mm_map_floor(p->mm), ceiling);
            if (start == 0) {
                return -ENOMEM;
            }
        }
    }

    struct vma area = { .start = start, .end = start + size, .prot = prot };
    if (type != MAP_PRIVATE) {
        area.flags |= VMA_SHARED; /* a shared mapping of a file: never writable */
    }
    const struct fs_file *boot = node ? tmpfs_boot_origin(node) : NULL;
    if (boot) {
        area.data = boot->data;
        area.size = boot->size;
        area.offset = pgoff << 12;
    }
    if (fixed && mm_unmap(p->mm, start, start + size) != 0) {
        return -ENOMEM;
    }
    if (vma_insert(&p->mm->space.areas, &area) != 0) {
        return -ENOMEM;
    }
    if (node && !boot) {
        long err = copy_file_pages(p, node, start, size, pgoff << 12, prot);
        if (err != 0) {
            mm_unmap(p->mm, start, start + size);
            return err;
        }
    }
    return (long)start;
}

long sys_munmap(uint32_t addr, uint32_t len)
{
    if ((addr & (PAGE_SIZE - 1)) || addr > KERNBASE || len > KERNBASE - addr) {
        return -EINVAL;
    }
    uint32_t size = page_round_up(len);
    if (size == 0) {
        return -EINVAL;
    }
    return mm_unmap(current->mm, addr, addr + size);
}

long sys_mprotect(uint32_t addr, uint32_t len, int prot_bits)
{
    uint32_t prot = (uint32_t)prot_bits;
    /* Linux's order: alignment, an empty range (nothing to do), wrap-around, then the bits. */
    if (addr & (PAGE_SIZE - 1)) {
        return -EINVAL;
    }
    if (len == 0) {
        return 0;
    }
    uint32_t size = page_round_up(len);
    uint32_t end = addr + size;
    if (size == 0 || end <= addr) {
        return -ENOMEM;
    }
    if (prot & ~(PROT_KNOWN | PROT_GROWSDOWN | PROT_GROWSUP)) {
        return -EINVAL;
    }
    if (prot & (PROT_GROWSDOWN | PROT_GROWSUP)) {
        return -EINVAL; /* only for areas that grow, which Ringlet's are not */
    }
    if (end > KERNBASE) {
        return -ENOMEM;
    }
    struct proc *p = current;
    if ((prot & PROT_WRITE) && vma_range_has_flag(&p->mm->space.areas, addr, end, VMA_SHARED)) {
        return -EACCES; /* a shared mapping of a read-only file can never be written */
    }
    int err = vma_protect(&p->mm->space.areas, addr, end, prot);
    if (err != 0) {
        return err;
    }
    vm_protect_range(&p->mm->space, addr, end, vma_page_prot(prot));
    return 0;
}

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4
#define MADV_FREE       8

/*
 * madvise: the hints are taken (and change nothing here), except MADV_DONTNEED and MADV_FREE,
 * which give the pages back now: the next touch sees zeros (or the file's bytes again), as in
 * Linux. -EINVAL for an unaligned start or advice Ringlet does not know, -ENOMEM when part of
 * the range is in no area and not the heap.
 */
long sys_madvise(uint32_t addr, uint32_t len, int advice)
{
    struct proc *p = current;
    if (addr & (PAGE_SIZE - 1)) {
        return -EINVAL;
    }
    if (advice != MADV_NORMAL && advice != MADV_RANDOM && advice != MADV_SEQUENTIAL &&
        advice != MADV_WILLNEED && advice != MADV_DONTNEED && advice != MADV_FREE) {
        return -EINVAL;
    }
    uint32_t size = page_round_up(len);
    uint32_t end = addr + size;
    if (len == 0) {
        return 0;
    }
    if (size == 0 || end < addr || end > KERNBASE) {
        return -EINVAL;
    }
    uint32_t heap_top = page_round_up(p->mm->brk);
    for (uint32_t page = addr; page < end; page += PAGE_SIZE) {
        bool in_heap = page >= p->mm->brk_start && page < heap_top;
        if (!in_heap && vma_find(&p->mm->space.areas, page) == NULL && page < p->mm->stack_limit) {
            return -ENOMEM;
        }
    }
    if (advice == MADV_DONTNEED || advice == MADV_FREE) {
        vm_unmap_range(&p->mm->space, addr, end);
    }
    return 0;
}
