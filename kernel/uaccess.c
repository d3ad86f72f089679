#include <uaccess.h>

#include <arch.h>

#include <abi/errno.h>

#include <arch/memlayout.h>

bool user_range_ok(uint32_t addr, size_t n)
{
    return n <= KERNBASE && addr <= KERNBASE - n;
}

int copy_from_user(void *dst, uint32_t src, size_t n)
{
    if (!user_range_ok(src, n)) {
        return -EFAULT;
    }
    return arch_user_copy(dst, (const void *)(uintptr_t)src, (uint32_t)n) == 0 ? 0 : -EFAULT;
}

int copy_to_user(uint32_t dst, const void *src, size_t n)
{
    if (!user_range_ok(dst, n)) {
        return -EFAULT;
    }
    return arch_user_copy((void *)(uintptr_t)dst, src, (uint32_t)n) == 0 ? 0 : -EFAULT;
}

long strncpy_from_user(char *dst, uint32_t src, size_t max)
{
    if (max == 0) {
        return -ENAMETOOLONG;
    }
    if (src >= KERNBASE) {
        return -EFAULT;
    }
    uint32_t reach = KERNBASE - src; /* the string may not run into the kernel half */
    uint32_t limit = max < reach ? (uint32_t)max : reach;
    int32_t len = arch_user_copy_string(dst, (const char *)(uintptr_t)src, limit);
    if (len < 0 || (len == (int32_t)limit && limit < max)) {
        return -EFAULT; /* unreadable, or no NUL before the kernel half */
    }
    if (len == (int32_t)max) {
        dst[max - 1] = '\0';
        return -ENAMETOOLONG;
    }
    return len;
}

int user_prepare_write(uint32_t addr, size_t n)
{
    if (!user_range_ok(addr, n)) {
        return -EFAULT;
    }
    if (n == 0) {
        return 0;
    }
    uint32_t last = addr + (uint32_t)n - 1;
    for (uint32_t page = addr & ~(PAGE_SIZE - 1);; page += PAGE_SIZE) {
        if (arch_user_touch_write(page < addr ? addr : page) != 0) {
            return -EFAULT;
        }
        if (page >= (last & ~(PAGE_SIZE - 1))) {
            return 0;
        }
    }
}
