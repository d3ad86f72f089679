#pragma once
#include <stdbool.h>

/*
 * Starts the first processes: init=PATH (default /bin/init) when that file exists; otherwise,
 * or with init=none, every program module and flat-ramdisk program, in module order, with the
 * words of its module command line as argv. Modules that cannot be loaded are reported and
 * skipped. With names=NAME, the kernel first makes the name service endpoint: its receive end
 * goes to the module called NAME, its send end to every other (descriptor 3, docs/ipc.md).
 * Returns the number of processes started.
 */
unsigned startup_processes(const char *cmdline);
