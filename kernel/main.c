/*
 * kmain: the map of the system. Each line brings up one part, in the order they depend on each
 * other. boot.S calls it on the boot stack, in the higher half, with interrupts off.
 */
#include <arch.h>
#include <bootinfo_report.h>
#include <kprintf.h>
#include <ktest.h>
#include <lib/string.h>
#include <lib/text.h>

#define RINGLET_VERSION "0.1.0"

static void run_kernel_tests_if_asked(void)
{
    char glob[64];
    if (!cmdline_get(boot_info_get()->cmdline, "ktest", glob, sizeof(glob))) {
        return;
    }
    int failures = ktest_run(glob);
    kprintf("ringlet: kernel tests finished (%d failed); power off\n", failures);
    arch_stop(STOP_POWER_OFF);
}

/*
 * crash=panic on the command line makes the kernel fail on purpose, so tests can check what a
 * failure looks like (the panic report, the exit status).
 */
static void crash_if_asked(void)
{
    char how[16];
    if (!cmdline_get(boot_info_get()->cmdline, "crash", how, sizeof(how))) {
        return;
    }
    if (strcmp(how, "panic") == 0) {
        panic("kmain: crash requested on the command line");
    }
    kprintf("ringlet: unknown crash=%s (known: panic); ignored\n", how);
}

void kmain(uint32_t boot_magic, uint32_t boot_info_phys)
{
    (void)boot_magic;                  /* boot.S has checked it */
    arch_console_init();               /* serial port and VGA screen: kprintf works from here */
    kprintf("Ringlet " RINGLET_VERSION " booting\n");
    boot_info_load(boot_info_phys);    /* parse what GRUB handed over */
    boot_info_print();                 /* loader, command line, memory map, modules */
    crash_if_asked();                  /* crash=panic: fail on purpose, for the tests */
    run_kernel_tests_if_asked();       /* ktest=GLOB: run in-kernel tests, then power off */

    kprintf("ringlet: nothing more to run; power off\n");
    arch_stop(STOP_POWER_OFF);
}
