#include <loader.h>

#include <abi/auxv.h>
#include <abi/errno.h>

#include <arch.h>
#include <clock.h>
#include <frames.h>
#include <heap.h>
#include <lib/elf.h>
#include <lib/string.h>

#include <arch/memlayout.h>

#define AUXV_ENTRIES 18

/* The frame behind user page va, mapping a zeroed one (with prot) if there is none yet. */
static uint32_t page_frame(struct vm_space *space, uint32_t va, unsigned prot)
{
    uint32_t phys;
    unsigned have;
    if (vm_translate(space, va, &phys, &have) == 0) {
        /* Two segments share this page: it gets the more generous protection. */
        if ((prot & VM_WRITE) && !(have & VM_WRITE)) {
            vm_protect(space, va, VM_WRITE);
        }
        return phys & ~(PAGE_SIZE - 1);
    }
    uint32_t frame = frame_alloc_zeroed();
    if (frame == 0) {
        return 0;
    }
    if (vm_map(space, va, frame, prot) != 0) {
        frame_free(frame);
        return 0;
    }
    return frame;
}

/*
 * Records [start, end) as an area of the program with prot. Two segments may share a page
 * (the linker packs them): that page becomes an area of its own with both protections.
 */
static int add_segment_area(struct vm_space *space, uint32_t start, uint32_t end, unsigned prot)
{
    const struct vma *shared = vma_find(&space->areas, start);
    if (shared) {
        int err = vma_protect(&space->areas, start, start + PAGE_SIZE, shared->prot | prot);
        if (err != 0) {
            return err;
        }
        start += PAGE_SIZE;
    }
    if (start >= end) {
        return 0;
    }
    if (!vma_range_free(&space->areas, start, end)) {
        return -ENOEXEC; /* segments overlap by more than a page: elf_parse should refuse it */
    }
    struct vma area = { .start = start, .end = end, .prot = prot };
    return vma_insert(&space->areas, &area);
}

int load_elf(struct vm_space *space, const uint8_t *data, uint32_t size, struct loaded_program *out,
             char *error, uint32_t error_size)
{
    struct elf_image image;
    if (elf_parse(data, size, KERNBASE, &image, error, error_size) != 0) {
        return -ENOEXEC;
    }
    out->end = 0;
    for (unsigned i = 0; i < image.segment_count; i++) {
        const struct elf_segment *s = &image.segments[i];
        unsigned prot = s->writable ? VM_WRITE : 0;
        uint32_t first = s->vaddr & ~(PAGE_SIZE - 1);
        uint32_t file_end = s->vaddr + s->filesz;
        uint32_t mem_end = s->vaddr + s->memsz;
        int err = add_segment_area(space, first, (mem_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1),
                                   VMA_READ | (s->writable ? VMA_WRITE : 0) |
                                       (s->executable ? VMA_EXEC : 0));
        if (err != 0) {
            return err;
        }
        /* Pages with file bytes are filled now; the rest (the bss) are demand-zero pages of the
         * area, mapped on first touch, so a large bss costs nothing until it is used. */
        for (uint32_t page = first; page < file_end; page += PAGE_SIZE) {
            uint32_t frame = page_frame(space, page, prot);
            if (frame == 0) {
                return -ENOMEM;
            }
            uint32_t from = page > s->vaddr ? page : s->vaddr;
            uint32_t to = page + PAGE_SIZE < file_end ? page + PAGE_SIZE : file_end;
            memcpy((uint8_t *)phys_to_virt(frame) + (from - page),
                   data + s->offset + (from - s->vaddr), to - from);
        }
        if (mem_end > out->end) {
            out->end = mem_end;
        }
    }
    out->entry = image.entry;
    out->phdr = image.phdr_vaddr;
    out->phnum = image.phnum;
    return 0;
}

int load_flat(struct vm_space *space, const uint8_t *data, uint32_t size, uint32_t phys,
              struct loaded_program *out)
{
    uint32_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    uint32_t whole_pages = size / PAGE_SIZE;
    /* A flat image is one writable, executable area (StuBS's model: code and data together). */
    struct vma area = { .start = FLAT_LOAD_ADDRESS,
                        .end = FLAT_LOAD_ADDRESS + pages * PAGE_SIZE,
                        .prot = VMA_READ | VMA_WRITE | VMA_EXEC };
    if (pages > 0 && vma_insert(&space->areas, &area) != 0) {
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < pages; i++) {
        uint32_t va = FLAT_LOAD_ADDRESS + i * PAGE_SIZE;
        /* Only whole pages are shared: the rest of a last partial page is not the program's
         * (whatever follows it in memory), so that page is a copy with zeros after the end. */
        if (phys && i < whole_pages) {
            frame_ref(phys + i * PAGE_SIZE);
            if (vm_map_copy_on_write(space, va, phys + i * PAGE_SIZE) != 0) {
                frame_free(phys + i * PAGE_SIZE);
                return -ENOMEM;
            }
            continue;
        }
        uint32_t frame = page_frame(space, va, VM_WRITE);
        if (frame == 0) {
            return -ENOMEM;
        }
        uint32_t n = size - i * PAGE_SIZE < PAGE_SIZE ? size - i * PAGE_SIZE : PAGE_SIZE;
        memcpy(phys_to_virt(frame), data + i * PAGE_SIZE, n);
    }
    out->entry = FLAT_LOAD_ADDRESS;
    out->end = FLAT_LOAD_ADDRESS + pages * PAGE_SIZE;
    out->phdr = 0;
    out->phnum = 0;
    return 0;
}

int load_user_stack(struct vm_space *space, uint32_t stack_top, const char *const *argv, int argc,
                    const char *const *envp, int envc, struct loaded_program *program, uint32_t *sp)
{
    static const char platform[] = "i686"; /* AT_PLATFORM, as Linux says for this CPU */
    const char *execfn = program->execfn ? program->execfn : "";
    /* Count what the block needs, then build it in a kernel buffer of whole pages. */
    uint32_t strings = 16 + sizeof(platform) + (uint32_t)strlen(execfn) + 1; /* + AT_RANDOM */
    for (int i = 0; i < argc; i++) {
        strings += (uint32_t)strlen(argv[i]) + 1;
    }
    for (int i = 0; i < envc; i++) {
        strings += (uint32_t)strlen(envp[i]) + 1;
    }
    uint32_t vector = (uint32_t)(1 + argc + 1 + envc + 1 + 2 * AUXV_ENTRIES) * 4;
    uint32_t need = strings + vector + 32; /* + the two 16-byte alignments */
    if (argc < 0 || envc < 0 || need > LOADER_STACK_BLOCK_MAX) {
        return -E2BIG;
    }
    uint32_t pages = (need + PAGE_SIZE - 1) / PAGE_SIZE;
    uint32_t low = stack_top - pages * PAGE_SIZE;
    uint8_t *block = kcalloc(pages, PAGE_SIZE);
    if (block == NULL) {
        return -ENOMEM;
    }
    uint8_t *base = block - low; /* base[user address] is that byte of the block */
    uint32_t top = stack_top;

    /* Strings, from the top down: argv's above envp's, as before. */
    for (int i = argc - 1; i >= 0; i--) {
        uint32_t n = (uint32_t)strlen(argv[i]) + 1;
        top -= n;
        memcpy(base + top, argv[i], n);
    }
    uint32_t argv_at = top;
    program->arg_start = top;
    program->arg_end = argc > 0 ? stack_top : top;
    for (int i = envc - 1; i >= 0; i--) {
        uint32_t n = (uint32_t)strlen(envp[i]) + 1;
        top -= n;
        memcpy(base + top, envp[i], n);
    }
    uint32_t envp_at = top;
    uint32_t execfn_size = (uint32_t)strlen(execfn) + 1;
    top -= execfn_size;
    memcpy(base + top, execfn, execfn_size);
    uint32_t execfn_at = top;
    top -= sizeof(platform);
    memcpy(base + top, platform, sizeof(platform));
    uint32_t platform_at = top;
    top = (top - 16) & ~15u;
    uint64_t seed = arch_cycle_counter();
    for (int i = 0; i < 16; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        base[top + (uint32_t)i] = (uint8_t)(seed >> 56);
    }
    uint32_t random_at = top;

    /* The vector, 16-byte aligned at argc as the i386 System V ABI asks. */
    uint32_t start = (top - vector) & ~15u;
    uint32_t *v = (uint32_t *)(base + start);
    *v++ = (uint32_t)argc;
    for (int i = 0; i < argc; i++) {
        *v++ = argv_at;
        argv_at += (uint32_t)strlen(argv[i]) + 1;
    }
    *v++ = 0;
    for (int i = 0; i < envc; i++) {
        *v++ = envp_at;
        envp_at += (uint32_t)strlen(envp[i]) + 1;
    }
    *v++ = 0;
    /* What Linux gives a static program (no vDSO, no interpreter), in its order. */
    const uint32_t aux[AUXV_ENTRIES][2] = {
        { AT_HWCAP, arch_cpu_hwcap() },
        { AT_PAGESZ, PAGE_SIZE },
        { AT_CLKTCK, CLOCK_HZ },
        { AT_PHDR, program->phdr },
        { AT_PHENT, 32 },
        { AT_PHNUM, program->phnum },
        { AT_BASE, 0 },
        { AT_FLAGS, 0 },
        { AT_ENTRY, program->entry },
        { AT_UID, 0 },
        { AT_EUID, 0 },
        { AT_GID, 0 },
        { AT_EGID, 0 },
        { AT_SECURE, 0 },
        { AT_RANDOM, random_at },
        { AT_EXECFN, execfn_at },
        { AT_PLATFORM, platform_at },
        { AT_NULL, 0 },
    };
    for (unsigned i = 0; i < sizeof(aux) / sizeof(aux[0]); i++) {
        *v++ = aux[i][0];
        *v++ = aux[i][1];
    }

    /* The block's pages become the top of the new stack. */
    int err = 0;
    for (uint32_t i = 0; i < pages && err == 0; i++) {
        uint32_t frame = page_frame(space, low + i * PAGE_SIZE, VM_WRITE);
        if (frame == 0) {
            err = -ENOMEM;
        } else {
            memcpy(phys_to_virt(frame), block + i * PAGE_SIZE, PAGE_SIZE);
        }
    }
    kfree(block);
    *sp = start;
    return err;
}
