#pragma once
/*
 * The only way the kernel touches user memory: the current process's, through the address
 * space the CPU is using. Each function makes one range check (the range lies in the user half
 * and does not wrap) and then touches user memory directly. A page that is not there yet goes
 * through the ordinary fault path (stack growth, copy-on-write, demand-zero heap and bss); a
 * page that path cannot map ends the copy through the exception table (usercopy.S) and the
 * function returns -EFAULT. Linux's design; docs/memory.md tells the whole story.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when [addr, addr + n) lies below KERNBASE and does not wrap (Linux's access_ok). */
bool user_range_ok(uint32_t addr, size_t n);

/* Copies n bytes from user address src. Returns 0, or -EFAULT (dst may hold a part). */
int copy_from_user(void *dst, uint32_t src, size_t n);

/* Copies n bytes to user address dst. Returns 0, or -EFAULT (a part may have been written). */
int copy_to_user(uint32_t dst, const void *src, size_t n);

/*
 * Copies a NUL-terminated string of at most max - 1 characters from user address src into dst
 * (max bytes). Returns its length, -EFAULT when a byte before the NUL is not readable, or
 * -ENAMETOOLONG when no NUL comes within max - 1 characters.
 */
long strncpy_from_user(char *dst, uint32_t src, size_t max);

/*
 * Makes every page of [addr, addr + n) present and writable the way a user write would
 * (Linux's fault_in_writeable), changing no byte, so a system call can check a result buffer
 * before it does something it cannot undo. Returns 0 or -EFAULT.
 */
int user_prepare_write(uint32_t addr, size_t n);
