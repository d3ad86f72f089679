/*
 * The application processors' first instructions. smp.c copies this trampoline to physical
 * AP_TRAMPOLINE_PHYS (below 1 MiB) and fills in its data words; a STARTUP IPI starts an AP in
 * real mode at that address (CS = AP_TRAMPOLINE_PHYS / 16, IP = 0). It switches to protected
 * mode with a flat GDT of its own, turns on paging with a page directory that maps the
 * trampoline's first 4 MiB one-to-one and the kernel half as the kernel does, and jumps to
 * smp_ap_entry(cpu) in the higher half on the stack it was given.
 *
 * The code runs at another address than it was linked for, so every address in it is written
 * as the trampoline's physical address plus an offset from its start (AT()).
 */
#include <arch/segments.h>

#define AP_TRAMPOLINE_PHYS 0x8000
#define AT(label)          (AP_TRAMPOLINE_PHYS + ((label) - ap_trampoline))
#define CR0_PE             0x00000001
#define CR0_WP             0x00010000
#define CR0_PG             0x80000000

    .text
    .code16
    .global ap_trampoline
ap_trampoline:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    lgdtl (ap_gdt_descriptor - ap_trampoline)
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl $KERNEL_CS, $AT(ap_protected)

    .code32
ap_protected:
    movw $KERNEL_DS, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movl AT(ap_cr4), %eax             /* 4 MiB pages (and global pages) as on the boot CPU */
    movl %eax, %cr4
    movl AT(ap_cr3), %eax
    movl %eax, %cr3
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0
    movl AT(ap_stack), %esp
    xorl %ebp, %ebp                   /* the end of every backtrace */
    pushl AT(ap_cpu)                  /* smp_ap_entry(struct cpu *) */
    pushl $0                          /* no return address */
    movl AT(ap_entry), %eax
    jmp *%eax

    .balign 8
ap_gdt:
    FLAT_GDT_ENTRIES
ap_gdt_descriptor:
    .short ap_gdt_descriptor - ap_gdt - 1
    .long AT(ap_gdt)

/* Filled in by smp.c before each AP starts. */
    .balign 4
    .global ap_cr3, ap_cr4, ap_stack, ap_entry, ap_cpu
ap_cr3:   .long 0
ap_cr4:   .long 0
ap_stack: .long 0
ap_entry: .long 0
ap_cpu:   .long 0
    .global ap_trampoline_end
ap_trampoline_end:
