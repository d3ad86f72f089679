#pragma once
/*
 * The only way the kernel touches user memory. Each function checks the whole range first
 * (NULL page, kernel half, wrap-around, unmapped pages, and read-only pages when writing) and
 * then copies through the kernel's direct map, page by page, so it can never fault.
 */
#include <stddef.h>
#include <stdint.h>

#include <vm.h>

/* Copies n bytes from user address src. Returns 0 or -EFAULT (nothing copied). */
int copy_from_user(const struct vm_space *space, void *dst, uint32_t src, size_t n);

/*
 * Copies n bytes to user address dst, first giving the space its own copy of any copy-on-write
 * page in the range. Returns 0 or -EFAULT (nothing copied).
 */
int copy_to_user(struct vm_space *space, uint32_t dst, const void *src, size_t n);

/*
 * Copies a NUL-terminated string of at most max - 1 characters from user address src into dst
 * (max bytes). Returns its length, -EFAULT when a byte before the NUL is not readable, or
 * -ENAMETOOLONG when no NUL comes within max - 1 characters.
 */
long strncpy_from_user(const struct vm_space *space, char *dst, uint32_t src, size_t max);
