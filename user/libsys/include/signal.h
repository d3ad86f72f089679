#pragma once
/*
 * Signal numbers (abi/signal.h, Linux's values) and kill(2). Ringlet has no signal handlers: a
 * signal ends the process, and waitpid reports which one (WTERMSIG). SIGPIPE is never sent: a
 * write to a pipe nobody reads fails with EPIPE instead.
 */
#include <sys/cdefs.h>
#include <abi/signal.h>

#define NSIG 32

__BEGIN_DECLS
#include <syscalls.h>
__END_DECLS
