#pragma once
/*
 * What x86 keeps in each address space beside its page directory (struct vm_space's arch
 * part): which user directory entries have a page table, one bit each, so that fork and exit
 * visit only those instead of testing all 768 entries of the user half.
 */
#include <stdint.h>

#define ARCH_USER_TABLES 768u /* directory entries below KERNBASE */

struct arch_vm_space {
    uint32_t tables[ARCH_USER_TABLES / 32]; /* bit i: entry i has (or had) a table */
};
