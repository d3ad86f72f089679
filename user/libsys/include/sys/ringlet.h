#pragma once
/*
 * Ringlet's own calls: ringlet_procs (the process table, for ps) and ringlet_devs (the device
 * list, for dev). Both fill an array of at most max records and return how many they wrote.
 * The records are abi/ringlet.h.
 */
#include <sys/cdefs.h>
#include <abi/ringlet.h>

/* The most processes that can exist at once: ringlet_procs never returns more records. */
#define RINGLET_MAX_PROCS 64

__BEGIN_DECLS
#include <syscalls.h>

/* "runnable", "running", "blocked", "zombie", or "?" for a state this libsys does not know. */
const char *ringlet_proc_state_name(int state);
__END_DECLS
