/*
 * Paging on x86: the kernel's page directory and the user address spaces built on it.
 *
 * The kernel half (directory entries 768..1023) is the same in every address space: physical
 * memory mapped at KERNBASE with 4 MiB global pages, except the 4 MiB chunks that hold the
 * kernel image, which use 4 KiB pages so the text can be read-only and the boot stack's guard
 * page can be left out. Those entries never change after vm_init(), so a new address space just
 * copies them.
 */
#include <vm.h>

#include <counters.h>
#include <arch.h>
#include <cpu.h>
#include <frames.h>
#include <kprintf.h>
#include <lib/string.h>

#include <abi/errno.h>

#include <arch/memlayout.h>
#include <arch/pagetable.h>
#include <arch/x86.h>

#include "devmap.h"
#include "smp.h"

#define CR4_PGE           0x80u
#define LARGE_PAGE        0x400000u
#define PTE_COPY_ON_WRITE 0x200u /* bits the CPU leaves to software: a shared frame, */
#define PTE_PROT_NONE     0x400u /* and a PROT_NONE page: not present, but the frame is kept */

/* Whether a user page-table entry holds a frame reference (present, or present but PROT_NONE). */
static bool pte_has_frame(uint32_t pte)
{
    return (pte & (PTE_PRESENT | PTE_PROT_NONE)) != 0;
}
#define KSTACK_AREA       0xf0000000u /* above the direct map */
#define KSTACK_SLOTS      64u
#define KSTACK_SLOT_PAGES (KSTACK_PAGES + 1u) /* the guard page, then the stack */
_Static_assert(KSTACK_SLOTS *KSTACK_SLOT_PAGES <= PT_ENTRIES, "kernel stacks fit one table");

extern char kernel_text_start[];
extern char kernel_rodata_end[];
extern char kernel_end[];
extern char boot_stack_guard[];

static uint32_t kernel_pgdir_phys;
static uint32_t kernel_table_frames;
static uint32_t *kstack_table; /* the page table of the kernel-stack area */

static uint32_t *table_at(void *ctx, uint32_t phys)
{
    (void)ctx;
    return phys_to_virt(phys);
}

static uint32_t user_table_frames;   /* page directories and tables of user spaces */
static uint32_t kernel_stack_frames; /* frames of the kernel stacks in use */
static uint32_t cached_stack_frames; /* frames of stacks kept in their slots for reuse */

/* A zeroed frame for a user page table, counted (pt_walk's callback, and vm_fork's). */
static uint32_t alloc_table(void *ctx)
{
    (void)ctx;
    uint32_t frame = frame_alloc_zeroed();
    user_table_frames += frame != 0;
    return frame;
}

/* Gives back a user page table or directory. */
static void free_table(uint32_t frame)
{
    user_table_frames--;
    frame_free(frame);
}

static const struct pt_memory direct_map = { table_at, alloc_table, NULL };

/* Drops page va of space from the TLB of every CPU that has space loaded (TLB shootdown). */
static void invalidate_if_active(const struct vm_space *space, uint32_t va)
{
    if (read_cr3() == space->pgdir_phys) {
        invlpg(va);
    }
    smp_tlb_shootdown(space->pgdir_phys, va);
}

/* Flushes the TLB's user entries on every CPU that has space loaded. */
static void vm_activate_reload(const struct vm_space *space)
{
    if (read_cr3() == space->pgdir_phys) {
        write_cr3(space->pgdir_phys);
        event_counters.cr3_loads++;
    }
    smp_tlb_shootdown(space->pgdir_phys, TLB_ALL);
}

static uint32_t kernel_page_flags(uint32_t va)
{
    if (va == (uint32_t)(uintptr_t)boot_stack_guard) {
        return 0; /* not present: a push past the boot stack's end faults */
    }
    if (va >= (uint32_t)(uintptr_t)kernel_text_start &&
        va < (uint32_t)(uintptr_t)kernel_rodata_end) {
        return PTE_PRESENT | PTE_GLOBAL; /* text and read-only data */
    }
    return PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL;
}

void vm_init(void)
{
    kernel_pgdir_phys = frame_alloc_zeroed();
    if (kernel_pgdir_phys == 0) {
        panic("vm_init: no frame for the kernel page directory");
    }
    kernel_table_frames = 1;
    uint32_t *pgdir = phys_to_virt(kernel_pgdir_phys);
    uint32_t image_end = virt_to_phys(kernel_end);

    for (uint32_t phys = 0; phys < DIRECT_MAP_SIZE; phys += LARGE_PAGE) {
        uint32_t va = KERNBASE + phys;
        if (phys >= image_end) {
            pgdir[PDX(va)] = phys | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE | PTE_GLOBAL;
            continue;
        }
        uint32_t table_phys = frame_alloc_zeroed();
        if (table_phys == 0) {
            panic("vm_init: no frame for a kernel page table");
        }
        kernel_table_frames++;
        uint32_t *table = phys_to_virt(table_phys);
        for (uint32_t i = 0; i < PT_ENTRIES; i++) {
            uint32_t page = phys + i * PAGE_SIZE;
            uint32_t flags = kernel_page_flags(KERNBASE + page);
            table[i] = flags ? page | flags : 0;
        }
        pgdir[PDX(va)] = table_phys | PTE_PRESENT | PTE_WRITABLE;
    }

    /* One page table for the kernel stacks; its directory entry is shared like the rest. */
    uint32_t kstack_table_phys = frame_alloc_zeroed();
    if (kstack_table_phys == 0) {
        panic("vm_init: no frame for the kernel-stack page table");
    }
    kernel_table_frames++;
    kstack_table = phys_to_virt(kstack_table_phys);
    pgdir[PDX(KSTACK_AREA)] = kstack_table_phys | PTE_PRESENT | PTE_WRITABLE;
    devmap_install(pgdir); /* the framebuffer, mapped at boot above the kernel stacks */

    write_cr4(read_cr4() | CR4_PGE);
    write_cr3(kernel_pgdir_phys);
    this_cpu()->active_pgdir = kernel_pgdir_phys;
}

uint32_t vm_kernel_table_frames(void)
{
    return kernel_table_frames;
}

uint32_t vm_user_table_frames(void)
{
    return user_table_frames;
}

uint32_t vm_kernel_stack_cached_frames(void)
{
    return cached_stack_frames;
}

uint32_t vm_kernel_stack_frames(void)
{
    return kernel_stack_frames;
}

int vm_create(struct vm_space *space)
{
    uint32_t pgdir_phys = frame_alloc();
    if (pgdir_phys == 0) {
        return -ENOMEM;
    }
    user_table_frames++;
    /* Each half written once: the user half cleared, the kernel half copied (both a string
     * instruction), rather than the whole page zeroed and then the kernel half overwritten. */
    uint32_t *pgdir = phys_to_virt(pgdir_phys);
    const uint32_t *kernel_pgdir = phys_to_virt(kernel_pgdir_phys);
    memset(pgdir, 0, PDX(KERNBASE) * sizeof(uint32_t));
    memcpy(pgdir + PDX(KERNBASE), kernel_pgdir + PDX(KERNBASE),
           (PT_ENTRIES - PDX(KERNBASE)) * sizeof(uint32_t));
    space->pgdir_phys = pgdir_phys;
    space->areas = (struct vma_list){ 0 };
    space->arch = (struct arch_vm_space){ 0 };
    return 0;
}

/*
 * The index of the first non-zero entry of entries[from..end), or end. Most of a page table or
 * of a directory's user half is empty: eight entries are tested at once, so a fork or an exit
 * walks a mostly empty table in about a fifth of the instructions.
 */
static uint32_t next_used(const uint32_t *entries, uint32_t from, uint32_t end)
{
    while (from < end && (from & 7) != 0 && entries[from] == 0) {
        from++;
    }
    while (from + 8 <= end &&
           (entries[from] | entries[from + 1] | entries[from + 2] | entries[from + 3] |
            entries[from + 4] | entries[from + 5] | entries[from + 6] | entries[from + 7]) == 0) {
        from += 8;
    }
    while (from < end && entries[from] == 0) {
        from++;
    }
    return from;
}

_Static_assert(ARCH_USER_TABLES == PDX(KERNBASE), "arch/vmspace.h: one bit per user entry");

/* Records that directory entry i of space has a table. */
static void note_table(struct vm_space *space, uint32_t i)
{
    space->arch.tables[i / 32] |= 1u << (i % 32);
}

/* The first user directory entry at or after i that has a table, or ARCH_USER_TABLES. */
static uint32_t next_table(const struct vm_space *space, uint32_t i)
{
    while (i < ARCH_USER_TABLES) {
        uint32_t bits = space->arch.tables[i / 32] >> (i % 32);
        if (bits != 0) {
            return i + (uint32_t)__builtin_ctz(bits);
        }
        i = (i | 31) + 1;
    }
    return ARCH_USER_TABLES;
}

/*
 * Which parts of a user page table may hold entries, kept in its directory entry's three bits
 * that the CPU ignores (9-11): the first 128 entries (the bottom 512 KiB: a program's text and
 * data), the last 128 (the top: the stack) and the rest. A bit is set when the part is first
 * written through the walk that creates tables (mark_table_part) and cleared only with the
 * table, so it may say "used" for a part that is empty again, never the reverse. The walks of
 * fork and exit then scan a program's usual two tables in a few hundred instructions instead of
 * all 1,024 entries of each.
 */
#define PDE_PART_LOW  0x200u
#define PDE_PART_MID  0x400u
#define PDE_PART_HIGH 0x800u
#define PART_ENTRIES  128u

static const struct {
    uint32_t bit, from, end;
} table_parts[] = {
    { PDE_PART_LOW, 0, PART_ENTRIES },
    { PDE_PART_MID, PART_ENTRIES, PT_ENTRIES - PART_ENTRIES },
    { PDE_PART_HIGH, PT_ENTRIES - PART_ENTRIES, PT_ENTRIES },
};

static uint32_t part_bit(uint32_t index)
{
    return index < PART_ENTRIES                ? PDE_PART_LOW
           : index < PT_ENTRIES - PART_ENTRIES ? PDE_PART_MID
                                               : PDE_PART_HIGH;
}

/*
 * va's entry in space for the caller to write, its table made if need be and its part marked:
 * the walk of every new mapping (a page fault's among them). An existing table, the common case,
 * is reached through the direct map at once, without pt_walk's callbacks; pt_walk makes a
 * missing one. NULL when there is no frame for a table, or va is in the kernel half.
 */
static uint32_t *entry_to_write(struct vm_space *space, uint32_t va)
{
    if (va >= KERNBASE) {
        return NULL; /* the kernel half is no space's own */
    }
    uint32_t *pde = (uint32_t *)phys_to_virt(space->pgdir_phys) + PDX(va);
    if (!(*pde & PTE_PRESENT)) {
        if (pt_walk(&direct_map, space->pgdir_phys, va, true) == NULL) {
            return NULL;
        }
        note_table(space, PDX(va));
    }
    *pde |= part_bit(PTX(va));
    return (uint32_t *)phys_to_virt(*pde & PTE_ADDRESS) + PTX(va);
}

/* The index of the first non-zero entry at or after j in a part the directory entry marks, or
 * PT_ENTRIES. */
static uint32_t next_used_pte(uint32_t pde, const uint32_t *table, uint32_t j)
{
    for (unsigned r = 0; r < sizeof(table_parts) / sizeof(table_parts[0]); r++) {
        if (j >= table_parts[r].end || !(pde & table_parts[r].bit)) {
            continue;
        }
        uint32_t from = j > table_parts[r].from ? j : table_parts[r].from;
        uint32_t k = next_used(table, from, table_parts[r].end);
        if (k < table_parts[r].end) {
            return k;
        }
    }
    return PT_ENTRIES;
}

int vm_fork(struct vm_space *parent, struct vm_space *child)
{
    if (vm_create(child) != 0) {
        return -ENOMEM;
    }
    uint32_t *pgdir = phys_to_virt(parent->pgdir_phys);
    uint32_t *child_pgdir = phys_to_virt(child->pgdir_phys);
    /* Only the present user directory entries, and in each table only the used entries; the
     * child's table for a directory entry is made once and filled directly, with no walk from
     * the directory per page. */
    for (uint32_t i = next_table(parent, 0); i < ARCH_USER_TABLES; i = next_table(parent, i + 1)) {
        if (!(pgdir[i] & PTE_PRESENT)) {
            continue;
        }
        uint32_t *table = phys_to_virt(pgdir[i] & PTE_ADDRESS);
        uint32_t *child_table = NULL;
        for (uint32_t j = next_used_pte(pgdir[i], table, 0); j < PT_ENTRIES;
             j = next_used_pte(pgdir[i], table, j + 1)) {
            uint32_t pte = table[j];
            if (!pte_has_frame(pte)) {
                continue;
            }
            if (child_table == NULL) { /* a table with no frames stays out of the child */
                uint32_t table_phys = alloc_table(NULL);
                if (table_phys == 0) {
                    vm_destroy(child);
                    vm_activate_reload(parent);
                    return -ENOMEM;
                }
                child_pgdir[i] = table_phys | PTE_PRESENT | PTE_WRITABLE | PTE_USER |
                                 (pgdir[i] & (PDE_PART_LOW | PDE_PART_MID | PDE_PART_HIGH));
                child_table = phys_to_virt(table_phys);
                note_table(child, i);
            }
            /* Both spaces now share the frame: nobody may write it without a copy. Read-only
             * and PROT_NONE pages are marked too, since mprotect may make them writable later
             * (the area, not the page, says whether a write is allowed at all). */
            pte = (pte & ~PTE_WRITABLE) | PTE_COPY_ON_WRITE;
            table[j] = pte;
            child_table[j] = pte;
            frame_ref(pte & PTE_ADDRESS);
        }
    }
    vm_activate_reload(parent); /* the parent's writable pages just became read-only */
    if (vma_copy(&child->areas, &parent->areas) != 0) {
        vm_destroy(child);
        return -ENOMEM;
    }
    return 0;
}

void vm_destroy(struct vm_space *space)
{
    uint32_t *pgdir = phys_to_virt(space->pgdir_phys);
    for (uint32_t i = next_table(space, 0); i < ARCH_USER_TABLES; i = next_table(space, i + 1)) {
        if (!(pgdir[i] & PTE_PRESENT)) {
            continue;
        }
        uint32_t *table = phys_to_virt(pgdir[i] & PTE_ADDRESS);
        for (uint32_t j = next_used_pte(pgdir[i], table, 0); j < PT_ENTRIES;
             j = next_used_pte(pgdir[i], table, j + 1)) {
            if (pte_has_frame(table[j])) {
                frame_free(table[j] & PTE_ADDRESS);
            }
        }
        free_table(pgdir[i] & PTE_ADDRESS);
    }
    if (read_cr3() == space->pgdir_phys) {
        vm_activate(NULL);
    }
    free_table(space->pgdir_phys);
    space->pgdir_phys = 0;
    vma_clear(&space->areas);
}

static bool user_page_address_ok(uint32_t va)
{
    return (va & (PAGE_SIZE - 1)) == 0 && va >= USER_BASE && va < KERNBASE;
}

static uint32_t pte_flags(unsigned prot)
{
    if (prot & VM_NOACCESS) {
        return PTE_PROT_NONE;
    }
    return PTE_PRESENT | PTE_USER | ((prot & VM_WRITE) ? PTE_WRITABLE : 0);
}

int vm_map(struct vm_space *space, uint32_t va, uint32_t phys, unsigned prot)
{
    if (!user_page_address_ok(va) || (phys & (PAGE_SIZE - 1)) != 0) {
        return -EINVAL;
    }
    uint32_t *pte = entry_to_write(space, va);
    if (pte == NULL) {
        return -ENOMEM;
    }
    if (pte_has_frame(*pte)) {
        return -EEXIST;
    }
    /* The entry was not present, and x86 TLBs never cache a not-present entry (Intel SDM
     * 4.10.2.3): nothing to invalidate. */
    *pte = phys | pte_flags(prot);
    return 0;
}

int vm_map_copy_on_write(struct vm_space *space, uint32_t va, uint32_t phys)
{
    int err = vm_map(space, va, phys, 0);
    if (err == 0) {
        *pt_walk(&direct_map, space->pgdir_phys, va, false) |= PTE_COPY_ON_WRITE;
    }
    return err;
}

int vm_resolve_write_fault(struct vm_space *space, uint32_t va)
{
    if (va < USER_BASE || va >= KERNBASE) {
        return -EFAULT;
    }
    uint32_t *pte = pt_walk(&direct_map, space->pgdir_phys, va, false);
    if (pte == NULL ||
        (*pte & (PTE_PRESENT | PTE_COPY_ON_WRITE)) != (PTE_PRESENT | PTE_COPY_ON_WRITE)) {
        return -EFAULT;
    }
    uint32_t old = *pte & PTE_ADDRESS;
    uint32_t page = va & PTE_ADDRESS;
    if (frame_refcount(old) == 1) {
        /* Nobody else holds the frame any more: it simply becomes ours. */
        *pte = old | PTE_PRESENT | PTE_USER | PTE_WRITABLE;
    } else {
        uint32_t copy = frame_alloc();
        if (copy == 0) {
            return -ENOMEM;
        }
        arch_page_copy(phys_to_virt(copy), phys_to_virt(old));
        *pte = copy | PTE_PRESENT | PTE_USER | PTE_WRITABLE;
        frame_free(old);
    }
    invalidate_if_active(space, page);
    return 0;
}

int vm_map_zeroed(struct vm_space *space, uint32_t va, unsigned prot)
{
    uint32_t frame = frame_alloc_zeroed();
    if (frame == 0) {
        return -ENOMEM;
    }
    int err = vm_map(space, va & PTE_ADDRESS, frame, prot);
    if (err != 0) {
        frame_free(frame);
    }
    return err;
}

int vm_map_filled(struct vm_space *space, uint32_t va, unsigned prot, const uint8_t *bytes,
                  uint32_t n)
{
    uint32_t frame = frame_alloc_zeroed();
    if (frame == 0) {
        return -ENOMEM;
    }
    memcpy(phys_to_virt(frame), bytes, n);
    int err = vm_map(space, va & PTE_ADDRESS, frame, prot);
    if (err != 0) {
        frame_free(frame);
    }
    return err;
}

void vm_unmap_range(struct vm_space *space, uint32_t start, uint32_t end)
{
    uint32_t *pgdir = phys_to_virt(space->pgdir_phys);
    uint32_t va = start;
    while (va < end && va >= start) {
        if (!(pgdir[PDX(va)] & PTE_PRESENT)) {
            va = (va & ~(LARGE_PAGE - 1)) + LARGE_PAGE; /* a whole table's worth never touched */
            continue;
        }
        uint32_t *pte = &((uint32_t *)phys_to_virt(pgdir[PDX(va)] & PTE_ADDRESS))[PTX(va)];
        if (pte_has_frame(*pte)) {
            uint32_t phys = *pte & PTE_ADDRESS;
            *pte = 0;
            invalidate_if_active(space, va);
            frame_free(phys);
        }
        va += PAGE_SIZE;
    }
}

/* The entry for user page va when its page table exists, else NULL. */
static uint32_t *existing_pte(const struct vm_space *space, uint32_t va)
{
    const uint32_t *pgdir = phys_to_virt(space->pgdir_phys);
    if (!(pgdir[PDX(va)] & PTE_PRESENT)) {
        return NULL;
    }
    return &((uint32_t *)phys_to_virt(pgdir[PDX(va)] & PTE_ADDRESS))[PTX(va)];
}

int vm_move_range(struct vm_space *space, uint32_t from, uint32_t to, uint32_t len)
{
    /* First the page tables, so that a failure leaves every page where it was. */
    for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
        const uint32_t *src = existing_pte(space, from + off);
        if (src == NULL) {
            off = ((from + off) | (LARGE_PAGE - 1)) - from + 1 - PAGE_SIZE;
            continue;
        }
        if (pte_has_frame(*src) && entry_to_write(space, to + off) == NULL) {
            return -ENOMEM; /* (the entry is written by the loop below) */
        }
    }
    for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
        uint32_t *src = existing_pte(space, from + off);
        if (src == NULL || !pte_has_frame(*src)) {
            continue;
        }
        uint32_t *dst = existing_pte(space, to + off);
        if (pte_has_frame(*dst)) {
            frame_free(*dst & PTE_ADDRESS);
        }
        *dst = *src;
        *src = 0;
        invalidate_if_active(space, from + off);
        invalidate_if_active(space, to + off);
    }
    return 0;
}

uint32_t vm_user_page_count(const struct vm_space *space)
{
    const uint32_t *pgdir = phys_to_virt(space->pgdir_phys);
    uint32_t pages = 0;
    for (uint32_t i = 0; i < PDX(KERNBASE); i++) {
        if (!(pgdir[i] & PTE_PRESENT)) {
            continue;
        }
        const uint32_t *table = phys_to_virt(pgdir[i] & PTE_ADDRESS);
        for (uint32_t j = 0; j < PT_ENTRIES; j++) {
            pages += pte_has_frame(table[j]) ? 1 : 0;
        }
    }
    return pages;
}

/*
 * A slot keeps its stack's frames, mapped, after its process is reaped: the next process in the
 * slot gets the same pages. A translation another CPU may have cached for them therefore never
 * goes stale, and reaping needs no TLB shootdown (freeing them would: every CPU may have cached
 * a kernel mapping, speculatively too). The cache is at most PROC_MAX stacks; its frames count
 * as available (kmalloc_available_pages), as the heap's cached pages do.
 */
uint32_t vm_kernel_stack_create(unsigned slot)
{
    uint32_t first = slot * KSTACK_SLOT_PAGES + 1; /* entry slot * 5 stays unmapped: the guard */
    if (kstack_table[first] & PTE_PRESENT) {
        cached_stack_frames -= KSTACK_PAGES;
        kernel_stack_frames += KSTACK_PAGES;
        return KSTACK_AREA + (first + KSTACK_PAGES) * PAGE_SIZE;
    }
    for (uint32_t i = 0; i < KSTACK_PAGES; i++) {
        uint32_t frame = frame_alloc();
        if (frame == 0) {
            for (uint32_t j = 0; j < i; j++) {
                frame_free(kstack_table[first + j] & PTE_ADDRESS);
                kstack_table[first + j] = 0;
            }
            return 0;
        }
        kstack_table[first + i] = frame | PTE_PRESENT | PTE_WRITABLE;
    }
    kernel_stack_frames += KSTACK_PAGES;
    return KSTACK_AREA + (first + KSTACK_PAGES) * PAGE_SIZE;
}

void vm_kernel_stack_destroy(unsigned slot)
{
    (void)slot; /* its pages stay mapped for the slot's next process (vm_kernel_stack_create) */
    kernel_stack_frames -= KSTACK_PAGES;
    cached_stack_frames += KSTACK_PAGES;
}

int vm_unmap(struct vm_space *space, uint32_t va)
{
    if (!user_page_address_ok(va)) {
        return -EINVAL;
    }
    uint32_t *pte = pt_walk(&direct_map, space->pgdir_phys, va, false);
    if (pte == NULL || !pte_has_frame(*pte)) {
        return -EINVAL;
    }
    uint32_t phys = *pte & PTE_ADDRESS;
    *pte = 0;
    invalidate_if_active(space, va);
    frame_free(phys);
    return 0;
}

/* The entry pte with protection prot; a shared (copy-on-write) frame stays unwritable. */
static uint32_t reprotected(uint32_t pte, unsigned prot)
{
    uint32_t cow = pte & PTE_COPY_ON_WRITE;
    uint32_t flags = pte_flags(prot);
    if (cow) {
        flags &= ~PTE_WRITABLE;
    }
    return (pte & PTE_ADDRESS) | flags | cow;
}

int vm_protect(struct vm_space *space, uint32_t va, unsigned prot)
{
    if (!user_page_address_ok(va)) {
        return -EINVAL;
    }
    uint32_t *pte = pt_walk(&direct_map, space->pgdir_phys, va, false);
    if (pte == NULL || !pte_has_frame(*pte)) {
        return -EINVAL;
    }
    *pte = reprotected(*pte, prot);
    invalidate_if_active(space, va);
    return 0;
}

void vm_protect_range(struct vm_space *space, uint32_t start, uint32_t end, unsigned prot)
{
    uint32_t *pgdir = phys_to_virt(space->pgdir_phys);
    uint32_t va = start;
    while (va < end && va >= start) {
        if (!(pgdir[PDX(va)] & PTE_PRESENT)) {
            va = (va & ~(LARGE_PAGE - 1)) + LARGE_PAGE;
            continue;
        }
        uint32_t *pte = &((uint32_t *)phys_to_virt(pgdir[PDX(va)] & PTE_ADDRESS))[PTX(va)];
        if (pte_has_frame(*pte)) {
            *pte = reprotected(*pte, prot);
            invalidate_if_active(space, va);
        }
        va += PAGE_SIZE;
    }
}

int vm_translate(const struct vm_space *space, uint32_t va, uint32_t *phys, unsigned *prot)
{
    if (va < USER_BASE || va >= KERNBASE) {
        return -EFAULT;
    }
    const uint32_t *pte = pt_walk(&direct_map, space->pgdir_phys, va, false);
    if (pte == NULL || (*pte & (PTE_PRESENT | PTE_USER)) != (PTE_PRESENT | PTE_USER)) {
        return -EFAULT;
    }
    *phys = (*pte & PTE_ADDRESS) | (va & (PAGE_SIZE - 1));
    *prot = (*pte & PTE_WRITABLE) ? VM_WRITE : 0;
    return 0;
}

void vm_activate(const struct vm_space *space)
{
    uint32_t pgdir = space ? space->pgdir_phys : kernel_pgdir_phys;
    if (read_cr3() != pgdir) {
        write_cr3(pgdir);
        event_counters.cr3_loads++;
    }
    this_cpu()->active_pgdir = pgdir; /* for the other CPUs' shootdowns */
}

uint32_t vm_active_pgdir(void)
{
    return read_cr3();
}
