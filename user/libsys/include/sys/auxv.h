#pragma once
/*
 * The auxiliary vector: (type, value) pairs the kernel puts on the initial stack after the
 * environment, ending with AT_NULL. Types and values are Linux's.
 */
#include <sys/cdefs.h>

#include <abi/auxv.h>

__BEGIN_DECLS

/*
 * Returns the value of the first auxv entry of the given type, or 0 with errno ENOENT when
 * there is none. Valid only when the kernel passed an auxiliary vector (ELF programs).
 */
unsigned long getauxval(unsigned long type);

__END_DECLS
