#pragma once
/* sysinfo(2): struct sysinfo is abi/sysinfo.h; the prototype is the generated one. */
#include <sys/cdefs.h>
#include <abi/sysinfo.h>

__BEGIN_DECLS
#include <syscalls.h>
__END_DECLS
