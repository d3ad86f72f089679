#pragma once
/*
 * Loading a program into an address space (JOS's load_icode): ELF segments or a flat binary,
 * then the initial user stack with argv, envp and the auxiliary vector.
 */
#include <stdbool.h>
#include <stdint.h>

#include <vm.h>

/* The largest start-up block load_user_stack writes: the arguments execve can take at the
 * largest stack limit (ustack=256M: a quarter of it, Linux's 6 MiB cap), and their vector. */
#define LOADER_STACK_BLOCK_MAX (7u * 1024 * 1024)

struct loaded_program {
    uint32_t entry;
    uint32_t end;  /* first address above the image: where the heap (brk) starts */
    uint32_t phdr; /* AT_PHDR, 0 when the headers are not in memory */
    uint32_t phnum;
    const char *path;   /* the file the program came from (/proc/PID/exe) */
    const char *execfn; /* AT_EXECFN: the path execve was given (absolute) */
    uint32_t arg_start; /* the argument strings on the new stack (set by load_user_stack) */
    uint32_t arg_end;
};

/* A program file to load: its bytes (contiguous, in kernel memory) and what kind it is. */
struct program_image {
    const uint8_t *data;
    uint32_t size;
    uint32_t phys;     /* physical address of data when page-aligned (a module's), else 0 */
    bool flat;         /* a flat binary, entered at its first byte; else ELF */
    const char *path;  /* the absolute path of the file itself, links followed */
    const char *given; /* the path execve was given, made absolute (its last name is the
                        * process's name, as Linux's comm); NULL: the same as path */
    uint8_t *copy;     /* data, when it is a kernel copy to free after loading (program.h) */
};

/*
 * Checks the ELF executable data (size bytes) completely, then maps its segments into space
 * as areas of space (vma.h) with the segments' protection: pages with file bytes are filled now,
 * the rest of each segment is demand-zero, mapped on first touch. Returns 0, or -ENOEXEC with
 * the reason in error (nothing mapped), or -ENOMEM.
 */
int load_elf(struct vm_space *space, const uint8_t *data, uint32_t size, struct loaded_program *out,
             char *error, uint32_t error_size);

/*
 * Maps a flat binary at FLAT_LOAD_ADDRESS as one writable, executable area, entered at its
 * first byte. With phys (the
 * page-aligned physical address of data, or 0) its whole pages are shared copy-on-write (the
 * caller must have adopted their frames); a last partial page, and every page without phys,
 * is a copy, zero after size: the program never sees what follows it. Returns 0 or -ENOMEM.
 */
#define FLAT_LOAD_ADDRESS 0x04000000u
int load_flat(struct vm_space *space, const uint8_t *data, uint32_t size, uint32_t phys,
              struct loaded_program *out);

/*
 * Maps the top pages of the stack below stack_top (as many as it needs) and writes the System V
 * i386 start-up block: argc, argv, envp, the auxiliary vector (Linux's set for a static
 * program: AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS,
 * AT_ENTRY, AT_UID/EUID/GID/EGID, AT_SECURE, AT_RANDOM, AT_EXECFN (program->execfn),
 * AT_PLATFORM) and the strings. Sets *sp and program->arg_start/arg_end. Returns 0, -E2BIG
 * when the block would be over LOADER_STACK_BLOCK_MAX, -ENOMEM. The caller keeps the
 * arguments within the stack's limit (execve allows a quarter of it, as Linux).
 */
int load_user_stack(struct vm_space *space, uint32_t stack_top, const char *const *argv, int argc,
                    const char *const *envp, int envc, struct loaded_program *program,
                    uint32_t *sp);
