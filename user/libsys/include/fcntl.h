#pragma once
/*
 * open(2) and its flags. The values are abi/fcntl.h (Linux's); the prototype is the generated
 * one, which always takes the mode: open(path, O_RDONLY, 0). Ringlet's files are read-only.
 */
#include <sys/cdefs.h>
#include <abi/fcntl.h>

__BEGIN_DECLS
#include <syscalls.h>
__END_DECLS
