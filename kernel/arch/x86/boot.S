/*
 * Ringlet's first instructions.
 *
 * GRUB enters _start in 32-bit protected mode with paging off, eax = the Multiboot2 magic and
 * ebx = the physical address of the boot information. We check the magic, build a page directory
 * that maps physical memory both at 0 (so the next instruction still exists) and at KERNBASE,
 * turn paging on, jump to the higher half, load our own GDT and stack, and call kmain.
 */
#include <arch/memlayout.h>
#include <arch/segments.h>

#define MB2_HEADER_MAGIC   0xe85250d6
#define MB2_BOOT_MAGIC     0x36d76289
#define MB2_ARCH_I386      0

#define PDE_PRESENT  0x001
#define PDE_WRITABLE 0x002
#define PDE_LARGE    0x080 /* 4 MiB page (needs CR4.PSE) */
#define CR0_WP       0x00010000
#define CR0_PG       0x80000000
#define CR4_PSE      0x00000010

#define BOOT_STACK_SIZE 16384

/* ---- The Multiboot2 header: what we ask GRUB for. ---- */
    .section .multiboot, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

    /* Information request: command line (1), boot loader name (2), modules (3), memory map (6). */
    .balign 8
mb2_info_request:
    .short 1, 0
    .long mb2_info_request_end - mb2_info_request
    .long 1, 2, 3, 6
mb2_info_request_end:

    /* Module alignment: GRUB puts every module on a page boundary. */
    .balign 8
    .short 6, 0
    .long 8

    /*
     * Framebuffer (optional, flag bit 0): a linear framebuffer of 1024x768 at 32 bits per
     * pixel if GRUB can set one up. On UEFI, where there is no VGA text mode, this is the only
     * screen; on a BIOS PC grub.cfg sets gfxpayload=text, so GRUB keeps the VGA text mode and
     * says so in the framebuffer information (type 2, EGA text).
     */
    .balign 8
    .short 5, 1
    .long 20
    .long 1024, 768, 32

    /* End of tags. */
    .balign 8
    .short 0, 0
    .long 8
mb2_header_end:

/* ---- Code that runs at physical addresses, before paging. ---- */
    .section .boot.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    cmpl $MB2_BOOT_MAGIC, %eax
    jne bad_magic
    movl %eax, %edi                   /* keep magic and boot information across the setup */
    movl %ebx, %esi
    rdtsc                             /* the boot's start, for bootstat (kernel/bootstat.h) */
    movl %eax, boot_entry_cycles - KERNBASE
    movl %edx, boot_entry_cycles + 4 - KERNBASE

    /* Map physical 0..4 MiB at 0 (identity, for the jump) and 0..768 MiB at KERNBASE. */
    movl $(boot_page_dir - KERNBASE), %edx
    movl $(PDE_PRESENT | PDE_WRITABLE | PDE_LARGE), (%edx)
    movl $(KERNBASE >> 22), %ecx      /* first kernel-half directory index */
    movl $(PDE_PRESENT | PDE_WRITABLE | PDE_LARGE), %eax
1:  movl %eax, (%edx, %ecx, 4)
    addl $0x400000, %eax
    incl %ecx
    cmpl $1024, %ecx
    jb 1b

    movl %cr4, %eax
    orl $CR4_PSE, %eax
    movl %eax, %cr4
    movl %edx, %cr3
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0

    movl $higher_half, %eax
    jmp *%eax

/* Wrong magic: we were not started by a Multiboot2 loader. Say so on COM1 and stop. */
bad_magic:
    movl $(bad_magic_message - KERNBASE), %esi
2:  movb (%esi), %al
    testb %al, %al
    jz 4f
    movw $0x3fd, %dx                  /* line status register */
3:  movb %al, %bl
    inb %dx, %al
    testb $0x20, %al                  /* transmitter holding register empty */
    movb %bl, %al
    jz 3b
    movw $0x3f8, %dx
    outb %al, %dx
    incl %esi
    jmp 2b
4:  hlt
    jmp 4b

/* ---- From here on we run in the higher half. ---- */
    .text
    .type higher_half, @function
higher_half:
    lgdt boot_gdt_descriptor
    ljmp $KERNEL_CS, $1f
1:  movw $KERNEL_DS, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl $boot_stack_top, %esp
    xorl %ebp, %ebp                   /* the end of every backtrace */

    /* Drop the identity mapping of low memory: from now on only the direct map reaches it. */
    movl $0, boot_page_dir
    movl %cr3, %eax
    movl %eax, %cr3

    pushl %esi                        /* boot information (physical address) */
    pushl %edi                        /* Multiboot2 magic */
    call kmain
5:  cli
    hlt
    jmp 5b
    .size higher_half, . - higher_half

    .section .rodata
bad_magic_message:
    .asciz "ringlet: not started by a Multiboot2 boot loader (bad magic in eax); halting.\r\n"

/* A flat GDT: null, kernel code, kernel data. gdt_init() replaces it with the full one. */
    .balign 8
boot_gdt:
    FLAT_GDT_ENTRIES
boot_gdt_end:
boot_gdt_descriptor:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .bss
    .balign 4096
    .global boot_page_dir
boot_page_dir:
    .skip 4096
    /* Left unmapped by vm_init(): running off the end of the boot stack faults. */
    .global boot_stack_guard
boot_stack_guard:
    .skip 4096
    .global boot_stack_bottom
boot_stack_bottom:
    .skip BOOT_STACK_SIZE
    .global boot_stack_top
boot_stack_top:
