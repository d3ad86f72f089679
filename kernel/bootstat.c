/* The boot's length, entry to prompt (kernel/bootstat.h). */
#include <bootstat.h>

#include <arch.h>
#include <kprintf.h>
#include <lib/text.h>

/* In .data, not .bss: boot.S writes it before anything could clear .bss. */
__attribute__((section(".data"))) uint64_t boot_entry_cycles;

static bool wanted;

void bootstat_init(const char *cmdline)
{
    char value[8];
    wanted = cmdline_get(cmdline, "bootstat", value, sizeof(value)) && value[0] == '1';
}

void bootstat_terminal_read(void)
{
    if (!wanted) {
        return;
    }
    wanted = false;
    uint64_t cycles = arch_cycle_counter() - boot_entry_cycles;
    kprintf("ringlet: boot: %u cycles from kernel entry to the first terminal read\n",
            (unsigned)cycles);
}
