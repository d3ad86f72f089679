/*
 * kmain: the map of the system. Each line brings up one part, in the order they depend on each
 * other. boot.S calls it on the boot stack, in the higher half, with interrupts off.
 */
#include <arch.h>
#include <big_lock.h>
#include <cpu.h>
#include <bootinfo_report.h>
#include <clock.h>
#include <crash.h>
#include <endpoint.h>
#include <frames.h>
#include <heap.h>
#include <fs.h>
#include <kbench.h>
#include <kprintf.h>
#include <ktest.h>
#include <lib/text.h>
#include <proc.h>
#include <rootfs.h>
#include <sched.h>
#include <startup.h>
#include <trace.h>
#include <bootstat.h>
#include <vm.h>

#include <version.h>

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

static void run_kernel_benchmarks_if_asked(void)
{
    char glob[64];
    if (!cmdline_get(boot_info_get()->cmdline, "kbench", glob, sizeof(glob))) {
        return;
    }
    kbench_run(glob);
    kprintf("ringlet: kernel benchmarks finished; power off\n");
    arch_stop(STOP_POWER_OFF);
}

/* maxcpus=N on the command line: use at most N CPUs (Linux's name); all of them otherwise. */
static unsigned max_cpus(void)
{
    char value[16];
    if (!cmdline_get(boot_info_get()->cmdline, "maxcpus", value, sizeof(value))) {
        return 0;
    }
    unsigned n = 0;
    for (const char *p = value; *p >= '0' && *p <= '9'; p++) {
        n = n * 10 + (unsigned)(*p - '0');
    }
    return n == 0 ? 1 : n;
}

/* With more than one CPU the big kernel lock comes into use, held by this CPU from here on
 * (it lets it go on its way to user mode), and the others are let into their schedulers. */
static void start_scheduling_everywhere(void)
{
    if (cpu_count < 2) {
        return;
    }
    big_lock_active = true;
    big_lock_enter();
    arch_cpus_go();
}

void kmain(uint32_t boot_magic, uint32_t boot_info_phys)
{
    (void)boot_magic;                          /* boot.S has checked it */
    arch_console_init();                       /* serial port: kprintf works from here */
    boot_info_load(boot_info_phys);            /* parse what GRUB handed over (printed below) */
    arch_console_screen_init(boot_info_get()); /* VGA text, or GRUB's framebuffer */
    kprintf("Ringlet " RINGLET_VERSION " booting\n");
    arch_console_print_screen(boot_info_get()); /* which consoles, the screen's geometry */
    boot_info_print();                          /* loader, command line, memory map, modules */
    arch_traps_init();               /* GDT, TSS, IDT; faults are explained from here on */
    arch_cpus_find(boot_info_get()); /* the CPUs in ACPI's MADT */
    frame_init(boot_info_get(), boot_info_phys, boot_info_size()); /* physical frames */
    frame_print_report(); /* reserved ranges and frame counts */
    vm_init();            /* kernel page tables: read-only text, guard page */
    kprintf("paging: kernel page tables take %u frames; %u frames free\n", vm_kernel_table_frames(),
            frame_free_count());
    arch_cpus_start(max_cpus());              /* the other CPUs come online and wait */
    crash_if_asked(boot_info_get()->cmdline); /* crash=KIND: fail on purpose, for tests */
    run_kernel_tests_if_asked();              /* ktest=GLOB: run in-kernel tests, then power off */
    run_kernel_benchmarks_if_asked(); /* kbench=GLOB: in-kernel benchmarks, then power off */

    arch_fpu_init();                         /* FPU and SSE for user programs */
    clock_init();                            /* CMOS clock; the timer at 100 Hz drives preemption */
    arch_console_input_start();              /* serial and keyboard interrupts feed the tty */
    fs_init(boot_info_get());                /* the boot tree: initrd, modules, flat programs */
    rootfs_init();                           /* tmpfs / from the boot tree, /tmp, /dev, /proc */
    proc_init(boot_info_get()->cmdline);     /* ustack=, user faults */
    trace_init(boot_info_get()->cmdline);    /* trace=1: the scheduling timeline */
    bootstat_init(boot_info_get()->cmdline); /* bootstat=1: entry to prompt, measured */
    uint32_t free_at_start = kmalloc_available_pages();
    size_t heap_at_start = kmalloc_bytes_in_use();
    unsigned started = startup_processes(boot_info_get()->cmdline); /* init or modules */
    if (started == 0) {
        kprintf("ringlet: nothing to run; power off\n");
        arch_stop(STOP_POWER_OFF);
    }
    start_scheduling_everywhere(); /* the other CPUs and this one share the run queue */
    sched_run();                   /* round robin until every process has exited */
    big_lock_leave();

    bool all_ok = proc_print_summary();
    kprintf("ringlet: heap bytes in use: %u at start, %u at end\n", (unsigned)heap_at_start,
            (unsigned)kmalloc_bytes_in_use());
    kprintf("ringlet: free frames: %u at start, %u at end\n", free_at_start,
            kmalloc_available_pages());
    kprintf("ringlet: endpoints: %u live at end\n", endpoint_live_count());
    for (unsigned i = 0; i < cpu_count; i++) {
        kprintf("ringlet: cpu%u ran processes for %u ticks, idle for %u\n", i,
                (uint32_t)cpus[i].busy_ticks, (uint32_t)cpus[i].idle_ticks);
    }
    trace_dump();
    kprintf("ringlet: power off\n");
    arch_stop(all_ok ? STOP_POWER_OFF : STOP_PROCESS_FAILED);
}
