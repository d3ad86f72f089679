#pragma once
/*
 * The system calls, one C function each: the prototypes generated from abi/syscalls.tbl
 * (build/gen/libsys/syscalls.h). They return -1 and set errno on failure; __brk returns the
 * raw break. <syscall.h> has syscall_raw for programs that want the kernel's -errno itself.
 */
#include <sys/cdefs.h>
#include <stddef.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

__BEGIN_DECLS
#include <syscalls.h>
__END_DECLS
