/*
 * free: memory from sysinfo, in KiB: "memory: total N KiB, used N KiB, free N KiB". Used is
 * total minus free: everything the kernel and the processes hold.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>

int main(void)
{
    struct sysinfo info;
    if (sysinfo(&info) != 0) {
        printf("free: sysinfo: %s\n", strerror(errno));
        return 1;
    }
    uint64_t unit = info.mem_unit == 0 ? 1 : info.mem_unit;
    uint32_t total = (uint32_t)(((uint64_t)info.totalram * unit) >> 10);
    uint32_t free_kib = (uint32_t)(((uint64_t)info.freeram * unit) >> 10);
    printf("memory: total %u KiB, used %u KiB, free %u KiB\n", (unsigned)total,
           (unsigned)(total - free_kib), (unsigned)free_kib);
    return 0;
}
