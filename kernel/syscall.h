#pragma once
/*
 * The system-call table, generated from abi/syscalls.tbl. The entry code calls
 * syscall_table[eax] with ebx, ecx, edx, esi, edi, ebp as its C arguments; each handler is an
 * ordinary function returning a result or -errno, and validates every argument before it
 * changes or waits for anything.
 */
#include <abi/syscall_numbers.h>
#include <kernel/syscall_handlers.h> /* generated: every handler's prototype */

typedef long (*syscall_handler)();

extern const syscall_handler syscall_table[SYSCALL_TABLE_SIZE];
