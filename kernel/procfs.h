#pragma once
/*
 * procfs: /proc, the kernel's tables as files in Linux's formats (procfs.c says which).
 */
#include <stdint.h>

#include <vfs.h>

/* The one procfs instance; NULL when out of memory. */
struct super *procfs_new(void);
