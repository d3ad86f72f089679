#pragma once
/* uname(2): struct utsname is abi/utsname.h; the prototype is the generated one. */
#include <sys/cdefs.h>
#include <abi/utsname.h>

__BEGIN_DECLS
#include <syscalls.h>
__END_DECLS
