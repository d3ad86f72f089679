#pragma once
/*
 * Waiting for children: waitpid and wait4 (generated prototypes), wait, and the W* macros that
 * take the status apart (abi/signal.h: exit code in bits 8-15, killing signal in bits 0-6).
 */
#include <sys/cdefs.h>
#include <abi/signal.h>

__BEGIN_DECLS
#include <syscalls.h>

/* waitpid(-1, status, 0): waits for any child. Returns its pid, or -1 (errno ECHILD: none). */
int wait(int *status);
__END_DECLS
