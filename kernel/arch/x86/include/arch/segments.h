#pragma once

/* GDT selectors. The low two bits of a selector are the privilege level it asks for. */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_CS   (0x18 | 3)
#define USER_DS   (0x20 | 3)
#define TSS_SEL   0x28
/* Entries 6, 7 and 8 are the running process's thread-local-storage descriptors, where Linux
 * has them (GDT_ENTRY_TLS_MIN): set_thread_area fills them, and every switch reloads them. */
#define TLS_FIRST_ENTRY      6
#define TLS_ENTRIES          3
#define DOUBLE_FAULT_TSS_SEL 0x48
/* The kernel's %fs: a data segment based at this CPU's struct cpu (arch/percpu.h). */
#define PERCPU_SEL 0x50

/* The three entries of the flat GDT each CPU starts with (boot.S, ap_boot.S) before gdt.c
 * gives it its own: null, then KERNEL_CS and KERNEL_DS, base 0, limit 4 GiB. */
#define FLAT_GDT_ENTRIES                                                                           \
    .quad 0;                                                                                       \
    .quad 0x00cf9a000000ffff;                                                                      \
    .quad 0x00cf92000000ffff
