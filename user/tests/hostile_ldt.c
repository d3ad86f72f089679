/*
 * Hostile: a segment selector that names the LDT (bit 2 set). Ringlet has no LDT, so the LDT
 * register must be null and any such selector refused. The syscall fuzzer found it was not:
 * the LDT register kept the value the CPU starts with (base 0, limit 0xffff), so the CPU read
 * descriptors from user memory at linear address 0. A program that wrote one there could load
 * it, and a call gate there would have led into ring 0; a descriptor in a page not mapped made
 * the CPU fault inside the kernel's return path, a panic. This program maps the page such a
 * selector points into, writes a valid ring-3 data segment descriptor there, asks LAR whether
 * the selector is usable, and loads it into FS: the kernel must kill it with a general
 * protection fault (SIGSEGV) at the load.
 */
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>

#include <abi/mman.h>

#define SELECTOR 0x35b7u /* index 0x6b6, TI = 1 (the LDT), RPL 3: descriptor at 0x35b0 */

int main(void)
{
    uint32_t page = SELECTOR & ~0xfffu & ~7u;
    long r = syscall_raw(SYS_mmap2, page, 4096, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (r != (long)page) {
        printf("hostile_ldt: FAIL: cannot map 0x%x (%ld)\n", page, r);
        return 1;
    }
    /* A present, writable, ring-3, 32-bit data segment: base 0, limit 4 GiB. */
    uint32_t *descriptor = (uint32_t *)(uintptr_t)(SELECTOR & ~7u);
    descriptor[0] = 0x0000ffff;
    descriptor[1] = 0x00cff200;
    uint8_t usable = 0;
    uint32_t rights = 0;
    __asm__ volatile("lar %2, %0\n\tsetz %1" : "=r"(rights), "=q"(usable) : "r"(SELECTOR) : "cc");
    if (usable) {
        printf("SHOULD NOT PRINT: LAR accepts an LDT selector whose descriptor is user memory\n");
    }
    printf("hostile_ldt: about to load FS with LDT selector 0x%x\n", SELECTOR);
    __asm__ volatile("mov %w0, %%fs" : : "r"(SELECTOR) : "memory");
    printf("SHOULD NOT PRINT: FS holds a segment from user memory\n");
    return 0;
}
