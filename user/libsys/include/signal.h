#pragma once
/*
 * Signal numbers (abi/signal.h, Linux's values), kill(2), and the raw rt_sigaction and
 * rt_sigprocmask (generated stubs; struct kernel_sigaction is the kernel's). libsys has no
 * sigaction() wrapper and no restorer: a handler installed with rt_sigaction returns through
 * the code the kernel writes into its frame. A signal without a handler ends the process, and
 * waitpid reports which one (WTERMSIG); a write to a pipe nobody reads raises SIGPIPE.
 */
#include <sys/cdefs.h>
#include <abi/signal.h>

#define NSIG 32

__BEGIN_DECLS
#include <syscalls.h>
__END_DECLS
