/*
 * Hostile: makes a TLS entry (set_thread_area), loads its selector into SS — a writable ring-3
 * data segment is a valid stack segment — and then clears the entry. The return to user mode
 * cannot load that SS any more: iret faults in the kernel. The kernel must end the process
 * (SIGILL, as Linux does), not panic.
 */
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>

struct user_desc {
    uint32_t entry_number;
    uint32_t base_addr;
    uint32_t limit;
    uint32_t flags;
};

int main(void)
{
    /* A 4 GiB, present, 32-bit, writable data segment: seg_32bit, limit_in_pages, useable. */
    struct user_desc desc = { 0xffffffffu, 0, 0xfffff, 0x51 };
    long r = syscall_raw(SYS_set_thread_area, (long)&desc, 0, 0, 0, 0, 0);
    printf("hostile_tls_ss: about to load SS with TLS entry %u (set_thread_area %ld)\n",
           desc.entry_number, r);
    uint32_t selector = desc.entry_number * 8 + 3;
    struct user_desc empty = { desc.entry_number, 0, 0, 0x28 }; /* read_exec_only, not present */
    long result;
    __asm__ volatile("mov %%ss, %%si\n\t"
                     "mov %w[sel], %%ss\n\t"
                     "int $0x80\n\t"
                     "mov %%si, %%ss"
                     : "=a"(result)
                     : "a"(SYS_set_thread_area), "b"(&empty), [sel] "r"(selector)
                     : "esi", "memory");
    printf("SHOULD NOT PRINT (%ld)\n", result);
    return 0;
}
