#pragma once
/*
 * The auxiliary vector: (type, value) pairs the kernel puts on a new program's stack after the
 * environment, ending with AT_NULL. Types and values are Linux's.
 */

#define AT_NULL     0
#define AT_IGNORE   1
#define AT_EXECFD   2
#define AT_PHDR     3 /* address of the program headers */
#define AT_PHENT    4 /* size of one program header */
#define AT_PHNUM    5 /* number of program headers */
#define AT_PAGESZ   6 /* page size */
#define AT_BASE     7 /* interpreter base (0: none) */
#define AT_FLAGS    8
#define AT_ENTRY    9 /* the program's entry point */
#define AT_NOTELF   10
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_EXECFN   31
