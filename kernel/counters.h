#pragma once
/*
 * Costly events, counted for the benchmarks: every entry into the kernel, every CR3 load, every
 * page fault. The layout is abi/ringlet.h's struct ringlet_counters; trap_entry.S increments
 * kernel_entries (the first field) directly.
 */
#include <abi/ringlet.h>

extern struct ringlet_counters event_counters;
