#pragma once
/*
 * errno and the error numbers (Linux's values, from abi/errno.h). The system-call stubs set
 * errno and return -1 when the kernel answers -errno; nothing ever clears it.
 */
#include <sys/cdefs.h>
#include <abi/errno.h>

__BEGIN_DECLS

extern int errno;

__END_DECLS
