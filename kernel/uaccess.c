#include <uaccess.h>

#include <errno.h>
#include <lib/string.h>

#include <arch/memlayout.h>

/* Copies between a kernel buffer and user memory already checked to be mapped. */
static void copy_checked(const struct vm_space *space, uint32_t user, uint8_t *kernel, size_t n,
                         int to_user)
{
    while (n > 0) {
        uint32_t phys;
        unsigned prot;
        vm_translate(space, user, &phys, &prot);
        size_t chunk = PAGE_SIZE - (user & (PAGE_SIZE - 1));
        if (chunk > n) {
            chunk = n;
        }
        if (to_user) {
            memcpy(phys_to_virt(phys), kernel, chunk);
        } else {
            memcpy(kernel, phys_to_virt(phys), chunk);
        }
        user += chunk;
        kernel += chunk;
        n -= chunk;
    }
}

int copy_from_user(const struct vm_space *space, void *dst, uint32_t src, size_t n)
{
    if (n > UINT32_MAX || !vm_user_range_ok(space, src, (uint32_t)n, false)) {
        return -EFAULT;
    }
    copy_checked(space, src, dst, n, 0);
    return 0;
}

int copy_to_user(struct vm_space *space, uint32_t dst, const void *src, size_t n)
{
    if (n > UINT32_MAX || vm_prepare_user_write(space, dst, (uint32_t)n) != 0 ||
        !vm_user_range_ok(space, dst, (uint32_t)n, true)) {
        return -EFAULT;
    }
    copy_checked(space, dst, (uint8_t *)src, n, 1);
    return 0;
}

long strncpy_from_user(const struct vm_space *space, char *dst, uint32_t src, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        uint32_t phys;
        unsigned prot;
        if (src + i < src || vm_translate(space, src + (uint32_t)i, &phys, &prot) != 0) {
            return -EFAULT;
        }
        dst[i] = *(const char *)phys_to_virt(phys);
        if (dst[i] == '\0') {
            return (long)i;
        }
    }
    if (max > 0) {
        dst[max - 1] = '\0';
    }
    return -ENAMETOOLONG;
}
