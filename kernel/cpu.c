/*
 * The per-CPU table (cpu.h). cpus[0] is the boot CPU; smp.c fills in the others as they come
 * online.
 */
#include <cpu.h>

struct cpu cpus[CPU_MAX];
unsigned cpu_count = 1;
