#pragma once
/*
 * Address spaces. Each one has its own user half (0x1000 .. KERNBASE) and shares the kernel half
 * with every other, as JOS's env_setup_vm does. Mapping takes over one reference to the frame;
 * unmapping and vm_destroy drop it (see frames.h), so shared frames outlive a single space.
 */
#include <stdbool.h>
#include <stdint.h>

#include <vma.h>

#include <arch/vmspace.h>

#define VM_WRITE    0x1u /* the page may be written from user mode (pages are always readable) */
#define VM_NOACCESS 0x2u /* PROT_NONE: the page keeps its frame, but every user access faults */

#define USER_BASE 0x00001000u /* page 0 is never mapped */

struct vm_space {
    uint32_t pgdir_phys;
    struct vma_list areas;     /* what each range is and may be (vma.h); the fault path reads it */
    struct arch_vm_space arch; /* the architecture's own bookkeeping (arch/vmspace.h) */
};

/* Builds the kernel's page directory (direct map, read-only text, guard page) and switches to it.
 */
void vm_init(void);

/* Frames the kernel's own page directory and tables take. */
uint32_t vm_kernel_table_frames(void);

/* Frames the user address spaces' page directories and tables take now (/proc/meminfo's
 * PageTables). */
uint32_t vm_user_table_frames(void);

/* Frames the kernel stacks in use take now, guard pages aside (/proc/meminfo's KernelStack). */
uint32_t vm_kernel_stack_frames(void);

/* Frames of kernel stacks kept in their slots for the slot's next process. */
uint32_t vm_kernel_stack_cached_frames(void);

/* Creates an empty user address space sharing the kernel half. Returns 0 or -ENOMEM. */
int vm_create(struct vm_space *space);

/*
 * Makes child a copy of parent that shares every user frame: writable pages become read-only
 * and copy-on-write in both; the areas are copied too. Returns 0 or -ENOMEM (child left empty
 * and freed).
 */
int vm_fork(struct vm_space *parent, struct vm_space *child);

/* Frees every user frame (one reference each), every page table, the directory and the areas. */
void vm_destroy(struct vm_space *space);

/*
 * Maps the user page at va (page-aligned, USER_BASE <= va < KERNBASE) to the frame at phys with
 * prot (VM_WRITE or 0); the space takes over one reference to the frame. Returns 0, -EINVAL for
 * a bad address, -EEXIST when va is already mapped, or -ENOMEM.
 */
int vm_map(struct vm_space *space, uint32_t va, uint32_t phys, unsigned prot);

/* Unmaps the user page at va and drops its frame reference. Returns 0 or -EINVAL if not mapped. */
int vm_unmap(struct vm_space *space, uint32_t va);

/* Changes the protection of the mapped user page at va (as vm_protect_range). Returns 0 or
 * -EINVAL if not mapped. */
int vm_protect(struct vm_space *space, uint32_t va, unsigned prot);

/* Finds what user address va maps to: 0 and *phys, *prot set, or -EFAULT when unmapped. */
int vm_translate(const struct vm_space *space, uint32_t va, uint32_t *phys, unsigned *prot);

/*
 * Maps a fresh zeroed frame at the unmapped user page holding va, with prot. Returns 0,
 * -ENOMEM, or what vm_map returns.
 */
int vm_map_zeroed(struct vm_space *space, uint32_t va, unsigned prot);

/*
 * Maps a fresh frame at the unmapped user page holding va, with prot, filled with the n bytes
 * at bytes (n <= PAGE_SIZE) and zeros after them. Returns 0, -ENOMEM, or what vm_map returns.
 */
int vm_map_filled(struct vm_space *space, uint32_t va, unsigned prot, const uint8_t *bytes,
                  uint32_t n);

/*
 * Gives every page of [start, end) that has a frame the protection prot (VM_WRITE, 0 or
 * VM_NOACCESS). A copy-on-write page stays read-only until its first write copies it.
 */
void vm_protect_range(struct vm_space *space, uint32_t start, uint32_t end, unsigned prot);

/*
 * Unmaps every mapped user page in [start, end) (page-aligned) and drops its frame reference;
 * pages never touched cost nothing (absent page tables are skipped whole).
 */
void vm_unmap_range(struct vm_space *space, uint32_t start, uint32_t end);

/*
 * Moves the pages of [from, from + len) (page-aligned) to [to, to + len), which must not
 * overlap: each page table entry that holds a frame (present, PROT_NONE, copy-on-write) goes
 * across unchanged, so the data, its protection and its sharing move without a copy (mremap).
 * A page already at the destination is given back first. Makes every page table the move
 * needs before it moves anything: returns 0, or -ENOMEM with nothing moved.
 */
int vm_move_range(struct vm_space *space, uint32_t from, uint32_t to, uint32_t len);

/*
 * Maps the frame at phys at user address va read-only and copy-on-write: the first write gives
 * the writer its own copy (or the frame itself, when nobody else holds it). Takes over one
 * reference to the frame. Returns like vm_map.
 */
int vm_map_copy_on_write(struct vm_space *space, uint32_t va, uint32_t phys);

/*
 * Handles a user write fault at va: if the page is copy-on-write, gives the space its own
 * writable copy and returns 0. Returns -EFAULT for any other fault, -ENOMEM when out of memory.
 */
int vm_resolve_write_fault(struct vm_space *space, uint32_t va);

/* User pages a space has mapped (for the process list). */
uint32_t vm_user_page_count(const struct vm_space *space);

#define KSTACK_PAGES 4 /* 16 KiB kernel stack per process, with a guard page below */

/*
 * Maps a kernel stack for process slot (0 <= slot < 64) in the kernel half, above the direct
 * map, with an unmapped guard page below it — or finds the one the slot kept. Returns its top,
 * or 0 when out of memory.
 */
uint32_t vm_kernel_stack_create(unsigned slot);

/* The kernel stack of slot is no longer in use; the slot keeps it for its next process. The
 * caller must not be running on it. */
void vm_kernel_stack_destroy(unsigned slot);

/* Makes space the one the CPU uses; NULL means the kernel's own. */
void vm_activate(const struct vm_space *space);

/* The address space the CPU is using now. */
uint32_t vm_active_pgdir(void);
