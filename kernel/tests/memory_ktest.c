/*
 * Memory: the frame allocator, address spaces and the copy functions, and the kernel heap, on the
 * real machine with the real memory map.
 */
#include <ktest.h>

#include <frames.h>
#include <heap.h>
#include <lib/string.h>
#include <uaccess.h>
#include <vm.h>

#include <abi/errno.h>

#include <arch/memlayout.h>

/* ---- frames ---- */

static void frames_take_all_and_give_back(struct ktest *t)
{
    uint32_t before = frame_free_count();
    uint32_t taken = 0;
    uint32_t chain = 0; /* frames are linked through their first word */
    for (uint32_t phys; (phys = frame_alloc()) != 0; taken++) {
        *(uint32_t *)phys_to_virt(phys) = chain;
        chain = phys;
    }
    KEXPECT(t, taken == before);
    KEXPECT(t, frame_free_count() == 0);
    KEXPECT(t, frame_alloc() == 0);
    while (chain) {
        uint32_t next = *(uint32_t *)phys_to_virt(chain);
        KEXPECT(t, frame_refcount(chain) == 1);
        frame_free(chain);
        chain = next;
    }
    KEXPECT(t, frame_free_count() == before);
}

static void frames_are_distinct_and_outside_the_kernel(struct ktest *t)
{
    extern char kernel_end[];
    uint32_t a = frame_alloc(), b = frame_alloc();
    KASSERT(t, a != 0 && b != 0);
    KEXPECT(t, a != b);
    KEXPECT(t, a % PAGE_SIZE == 0 && b % PAGE_SIZE == 0);
    KEXPECT(t, a >= virt_to_phys(kernel_end) && b >= virt_to_phys(kernel_end));
    frame_free(a);
    frame_free(b);
}

static void frame_references_are_counted(struct ktest *t)
{
    uint32_t before = frame_free_count();
    uint32_t f = frame_alloc();
    frame_ref(f);
    frame_ref(f);
    KEXPECT(t, frame_refcount(f) == 3);
    frame_free(f);
    frame_free(f);
    KEXPECT(t, frame_refcount(f) == 1);
    KEXPECT(t, frame_free_count() == before - 1);
    frame_free(f);
    KEXPECT(t, frame_refcount(f) == 0);
    KEXPECT(t, frame_free_count() == before);
}

static void frame_runs_are_contiguous(struct ktest *t)
{
    uint32_t before = frame_free_count();
    uint32_t run = frame_alloc_run(5);
    KASSERT(t, run != 0);
    for (uint32_t i = 0; i < 5; i++) {
        KEXPECT(t, frame_refcount(run + i * PAGE_SIZE) == 1);
    }
    KEXPECT(t, frame_free_count() == before - 5);
    for (uint32_t i = 0; i < 5; i++) {
        frame_free(run + i * PAGE_SIZE);
    }
    KEXPECT(t, frame_free_count() == before);
}

/* ---- paging ---- */

#define TEST_VA 0x04000000u

static void paging_maps_translates_and_unmaps(struct ktest *t)
{
    uint32_t before = frame_free_count();
    struct vm_space space;
    KASSERT(t, vm_create(&space) == 0);
    uint32_t f = frame_alloc_zeroed();
    KEXPECT(t, vm_map(&space, TEST_VA, f, VM_WRITE) == 0);
    uint32_t phys;
    unsigned prot;
    KEXPECT(t, vm_translate(&space, TEST_VA + 0x123, &phys, &prot) == 0);
    KEXPECT(t, phys == f + 0x123 && prot == VM_WRITE);
    KEXPECT(t, vm_map(&space, TEST_VA, f, 0) == -EEXIST);
    KEXPECT(t, vm_protect(&space, TEST_VA, 0) == 0);
    KEXPECT(t, vm_translate(&space, TEST_VA, &phys, &prot) == 0 && prot == 0);
    KEXPECT(t, vm_unmap(&space, TEST_VA) == 0);
    KEXPECT(t, vm_translate(&space, TEST_VA, &phys, &prot) == -EFAULT);
    KEXPECT(t, vm_unmap(&space, TEST_VA) == -EINVAL);
    vm_destroy(&space);
    KEXPECT(t, frame_free_count() == before);
}

static void paging_refuses_page_zero_and_the_kernel_half(struct ktest *t)
{
    struct vm_space space;
    KASSERT(t, vm_create(&space) == 0);
    uint32_t f = frame_alloc();
    KEXPECT(t, vm_map(&space, 0, f, VM_WRITE) == -EINVAL);
    KEXPECT(t, vm_map(&space, KERNBASE, f, VM_WRITE) == -EINVAL);
    KEXPECT(t, vm_map(&space, TEST_VA + 1, f, VM_WRITE) == -EINVAL);
    frame_free(f);
    vm_destroy(&space);
}

static void paging_shares_frames_between_spaces(struct ktest *t)
{
    uint32_t before = frame_free_count();
    struct vm_space a, b;
    KASSERT(t, vm_create(&a) == 0 && vm_create(&b) == 0);
    uint32_t f = frame_alloc_zeroed();
    frame_ref(f); /* one reference for each space */
    KEXPECT(t, vm_map(&a, TEST_VA, f, VM_WRITE) == 0);
    KEXPECT(t, vm_map(&b, TEST_VA + PAGE_SIZE, f, 0) == 0);
    vm_destroy(&a);
    KEXPECT(t, frame_refcount(f) == 1); /* b still holds it */
    vm_destroy(&b);
    KEXPECT(t, frame_free_count() == before);
}

static void copies_work_across_pages(struct ktest *t)
{
    struct vm_space space;
    KASSERT(t, vm_create(&space) == 0);
    KEXPECT(t, vm_map(&space, TEST_VA, frame_alloc_zeroed(), VM_WRITE) == 0);
    KEXPECT(t, vm_map(&space, TEST_VA + PAGE_SIZE, frame_alloc_zeroed(), VM_WRITE) == 0);
    vm_activate(&space); /* copies use the address space the CPU is using */
    char out[32] = "across a page boundary";
    char in[32] = "";
    uint32_t at = TEST_VA + PAGE_SIZE - 10;
    KEXPECT(t, copy_to_user(at, out, sizeof(out)) == 0);
    KEXPECT(t, copy_from_user(in, at, sizeof(in)) == 0);
    KEXPECT(t, memcmp(in, out, sizeof(out)) == 0);
    char s[64];
    KEXPECT(t, strncpy_from_user(s, at, sizeof(s)) == (long)strlen(out));
    KEXPECT(t, strcmp(s, out) == 0);
    KEXPECT(t, strncpy_from_user(s, at, 5) == -ENAMETOOLONG);
    vm_activate(NULL);
    vm_destroy(&space);
}

static void copies_refuse_every_bad_range(struct ktest *t)
{
    struct vm_space space;
    KASSERT(t, vm_create(&space) == 0);
    KEXPECT(t, vm_map(&space, TEST_VA, frame_alloc_zeroed(), VM_WRITE) == 0);
    KEXPECT(t, vm_map(&space, TEST_VA + PAGE_SIZE, frame_alloc_zeroed(), 0) == 0); /* read-only */
    vm_activate(&space);
    char buf[16] = "0123456789abcde";
    /* NULL and the NULL page */
    KEXPECT(t, copy_from_user(buf, 0, 4) == -EFAULT);
    KEXPECT(t, copy_to_user(0x10, buf, 4) == -EFAULT);
    /* the kernel half, even though it is mapped (supervisor-only) */
    KEXPECT(t, copy_from_user(buf, KERNBASE, 4) == -EFAULT);
    KEXPECT(t, copy_to_user(KERNBASE + 0x100000, buf, 4) == -EFAULT);
    KEXPECT(t, copy_from_user(buf, KERNBASE - 2, 4) == -EFAULT);
    /* ranges that wrap around the top of the address space */
    KEXPECT(t, copy_from_user(buf, TEST_VA, 0xffffffffu) == -EFAULT);
    KEXPECT(t, copy_from_user(buf, 0xfffffff0u, 32) == -EFAULT);
    /* unmapped pages, also when the range starts in a mapped one */
    KEXPECT(t, copy_from_user(buf, TEST_VA + 2 * PAGE_SIZE, 4) == -EFAULT);
    char part[16];
    KEXPECT(t, copy_from_user(part, TEST_VA + 2 * PAGE_SIZE - 8, 16) == -EFAULT);
    /* read-only pages for writing, but fine for reading */
    KEXPECT(t, copy_to_user(TEST_VA + PAGE_SIZE, buf, 4) == -EFAULT);
    KEXPECT(t, copy_to_user(TEST_VA + PAGE_SIZE - 8, buf, 16) == -EFAULT);
    char readable[4] = "xyz";
    KEXPECT(t, copy_from_user(readable, TEST_VA + PAGE_SIZE, 4) == 0);
    KEXPECT(t, readable[0] == 0 && readable[3] == 0);
    /* strings */
    char s[8];
    KEXPECT(t, strncpy_from_user(s, 0, sizeof(s)) == -EFAULT);
    KEXPECT(t, strncpy_from_user(s, KERNBASE, sizeof(s)) == -EFAULT);
    /* a range the check refuses is never touched */
    KEXPECT(t, memcmp(buf, "0123456789abcde", 16) == 0);
    /* a copy that faults part-way stops there: the bytes before the fault arrived */
    KEXPECT(t, copy_to_user(TEST_VA + PAGE_SIZE - 4, buf, 8) == -EFAULT); /* into read-only */
    KEXPECT(t,
            copy_from_user(part, TEST_VA + PAGE_SIZE - 4, 4) == 0 && memcmp(part, "0123", 4) == 0);
    vm_activate(NULL);
    vm_destroy(&space);
}

static void the_kernel_half_is_shared(struct ktest *t)
{
    struct vm_space space;
    KASSERT(t, vm_create(&space) == 0);
    vm_activate(&space);
    /* Still running, still able to read kernel data through the new page directory. */
    KEXPECT(t, vm_active_pgdir() == space.pgdir_phys);
    KEXPECT(t, frame_free_count() > 0);
    vm_activate(NULL);
    vm_destroy(&space);
}

/* ---- heap ---- */

static uint32_t random_state = 12345;

static uint32_t next_random(void)
{
    random_state = random_state * 1103515245u + 12345u;
    return random_state >> 8;
}

#define HEAP_SLOTS 96

static void heap_random_patterns_never_overlap(struct ktest *t)
{
    static uint8_t *ptrs[HEAP_SLOTS];
    static size_t sizes[HEAP_SLOTS];
    size_t bytes_before = kmalloc_bytes_in_use();
    uint32_t frames_before = frame_free_count();
    for (unsigned round = 0; round < 3000; round++) {
        unsigned i = next_random() % HEAP_SLOTS;
        if (ptrs[i]) {
            for (size_t k = 0; k < sizes[i]; k++) {
                if (ptrs[i][k] != (uint8_t)i) {
                    KEXPECT(t, ptrs[i][k] == (uint8_t)i); /* someone wrote over it */
                    break;
                }
            }
            kfree(ptrs[i]);
            ptrs[i] = NULL;
            continue;
        }
        size_t size =
            (next_random() % 8 == 0) ? 1 + next_random() % 12000 : 1 + next_random() % 700;
        ptrs[i] = kmalloc(size);
        KASSERT(t, ptrs[i] != NULL);
        KEXPECT(t, ((uintptr_t)ptrs[i] & 15) == 0);
        KEXPECT(t, kmalloc_usable_size(ptrs[i]) >= size);
        sizes[i] = size;
        memset(ptrs[i], (int)i, size);
    }
    for (unsigned i = 0; i < HEAP_SLOTS; i++) {
        kfree(ptrs[i]);
        ptrs[i] = NULL;
    }
    KEXPECT(t, kmalloc_bytes_in_use() == bytes_before);
    /* Each class may keep one empty slab for next time. */
    KEXPECT(t, frame_free_count() + 8 >= frames_before);
}

static void krealloc_grows_and_shrinks(struct ktest *t)
{
    char *p = kmalloc(10);
    KASSERT(t, p != NULL);
    memcpy(p, "abcdefghi", 10);
    p = krealloc(p, 5000);
    KASSERT(t, p != NULL);
    KEXPECT(t, memcmp(p, "abcdefghi", 10) == 0);
    KEXPECT(t, kmalloc_usable_size(p) >= 5000);
    p = krealloc(p, 20);
    KASSERT(t, p != NULL);
    KEXPECT(t, memcmp(p, "abcdefghi", 10) == 0);
    KEXPECT(t, kmalloc_usable_size(p) < 100);
    KEXPECT(t, krealloc(p, 0) == NULL);
    KEXPECT(t, kmalloc(0) == NULL);
}

static void kcalloc_zeroes_and_checks_overflow(struct ktest *t)
{
    uint32_t *p = kcalloc(100, sizeof(uint32_t));
    KASSERT(t, p != NULL);
    for (unsigned i = 0; i < 100; i++) {
        KEXPECT(t, p[i] == 0);
    }
    kfree(p);
    KEXPECT(t, kcalloc(0x10000, 0x10001) == NULL);
}

static void heap_statistics_count_live_bytes(struct ktest *t)
{
    size_t before = kmalloc_bytes_in_use();
    void *a = kmalloc(100);  /* a 128-byte object */
    void *b = kmalloc(5000); /* a large allocation: its size is counted as asked */
    KEXPECT(t, kmalloc_bytes_in_use() == before + 128 + 5000);
    kmalloc_print_stats();
    kfree(a);
    kfree(b);
    KEXPECT(t, kmalloc_bytes_in_use() == before);
}

KTEST_SUITE(frames, KTEST_CASE(frames_take_all_and_give_back),
            KTEST_CASE(frames_are_distinct_and_outside_the_kernel),
            KTEST_CASE(frame_references_are_counted), KTEST_CASE(frame_runs_are_contiguous));

KTEST_SUITE(paging, KTEST_CASE(paging_maps_translates_and_unmaps),
            KTEST_CASE(paging_refuses_page_zero_and_the_kernel_half),
            KTEST_CASE(paging_shares_frames_between_spaces), KTEST_CASE(copies_work_across_pages),
            KTEST_CASE(copies_refuse_every_bad_range), KTEST_CASE(the_kernel_half_is_shared));

KTEST_SUITE(heap, KTEST_CASE(heap_random_patterns_never_overlap),
            KTEST_CASE(krealloc_grows_and_shrinks), KTEST_CASE(kcalloc_zeroes_and_checks_overflow),
            KTEST_CASE(heap_statistics_count_live_bytes));
