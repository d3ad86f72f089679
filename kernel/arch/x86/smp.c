/*
 * More than one CPU on x86 (smp.h). The boot CPU finds the others in ACPI's MADT, starts each
 * with INIT and two STARTUP IPIs (Intel's MultiProcessor Specification, appendix B) into the
 * trampoline of ap_boot.S, and waits until it says it is online. An application processor
 * loads its own GDT, TSS and per-CPU segment, the IDT and the kernel's page directory, turns on
 * its FPU and local APIC, and waits for arch_cpus_go(); then it takes its own timer and enters
 * the scheduler like the boot CPU. docs/smp.md tells the whole story.
 */
#include "smp.h"

#include <arch.h>
#include <big_lock.h>
#include <clock.h>
#include <cpu.h>
#include <frames.h>
#include <kprintf.h>
#include <lib/acpi.h>
#include <lib/bootinfo.h>
#include <lib/string.h>
#include <sched.h>
#include <vm.h>

#include <arch/memlayout.h>
#include <arch/trapframe.h>
#include <arch/irqflags.h>
#include <arch/x86.h>

#include "gdt.h"
#include "ioapic.h"
#include "lapic.h"
#include "pit.h"
#include "trap.h"

#define AP_TRAMPOLINE_PHYS 0x8000u /* as in ap_boot.S: a page below 1 MiB nobody uses */
#define AP_STACK_SIZE      16384
#define PDE_LARGE_RW       0x83u /* present, writable, 4 MiB */
#define BIOS_AREA          0xe0000u
#define BIOS_AREA_END      0x100000u

extern char ap_trampoline[], ap_trampoline_end[];
extern char ap_cr3[], ap_cr4[], ap_stack[], ap_entry[], ap_cpu[];

static struct acpi_madt madt;
static bool have_madt;
static uint8_t ap_stacks[CPU_MAX][AP_STACK_SIZE] __attribute__((aligned(16)));
static uint32_t timer_count; /* local APIC timer counts per tick */
static volatile bool go;

static const void *map_phys(uint64_t phys, uint32_t size)
{
    if (phys >= DIRECT_MAP_SIZE || size > DIRECT_MAP_SIZE - phys) {
        return NULL;
    }
    return phys_to_virt((uint32_t)phys);
}

/* Without the loader's copy: ACPI's other place for the RSDP, the BIOS area's 16-byte
 * boundaries (ACPI 6.5, 5.2.5.1). */
static const void *scan_bios_for_rsdp(void)
{
    for (uint32_t p = BIOS_AREA; p < BIOS_AREA_END; p += 16) {
        if (memcmp(phys_to_virt(p), "RSD PTR ", 8) == 0) {
            return phys_to_virt(p);
        }
    }
    return NULL;
}

void arch_cpus_find(const struct boot_info *info)
{
    const void *rsdp = info->acpi_rsdp;
    uint32_t size = info->acpi_rsdp_size;
    if (rsdp == NULL && info->efi_bits == 0) {
        rsdp = scan_bios_for_rsdp();
        size = 36;
    }
    char why[96];
    if (acpi_read_madt(rsdp, size, map_phys, &madt, why, sizeof(why)) != 0) {
        kprintf("cpus: using the boot CPU only (%s)\n", why);
        return;
    }
    have_madt = true;
    kprintf("cpus: %u in the ACPI MADT (through the %s), local APIC ids", madt.cpu_count,
            madt.table_path);
    for (unsigned i = 0; i < madt.cpu_count; i++) {
        kprintf(" %u", madt.apic_ids[i]);
    }
    if (madt.cpus_ignored) {
        kprintf(" (and %u more, ignored)", madt.cpus_ignored);
    }
    kprintf("; local APIC at 0x%08x", madt.lapic_phys);
    if (madt.has_ioapic) {
        kprintf("; I/O APIC %u at 0x%08x", madt.ioapic_id, madt.ioapic_phys);
    }
    kprintf("\n");
    lapic_map(madt.lapic_phys);
    ioapic_map(&madt);
}

static void write_slot(char *slot, uint32_t value)
{
    char *at = (char *)phys_to_virt(AP_TRAMPOLINE_PHYS) + (slot - ap_trampoline);
    memcpy(at, &value, sizeof(value));
}

static bool wait_online(const struct cpu *c, uint32_t us)
{
    for (uint32_t waited = 0; !c->online && waited < us; waited += 100) {
        pit_delay_us(100);
    }
    return c->online;
}

static _Noreturn void smp_ap_entry(struct cpu *c)
{
    gdt_init_cpu(c); /* this_cpu() is c from here on */
    idt_load();
    vm_activate(NULL); /* off the trampoline's page directory */
    fpu_enable_cpu();
    lapic_enable();
    kprintf("cpu%u: online (local APIC id %u)\n", c->index, lapic_id());
    c->online = true;
    while (!go) {
        arch_idle(); /* calls from the boot CPU come in meanwhile */
    }
    lapic_timer_start(timer_count);
    big_lock_enter();
    sched_run();
    big_lock_leave();
    for (;;) {
        arch_idle(); /* everything has ended: the boot CPU powers off */
    }
}

/* Starts the AP with local APIC id apic_id as c; false when it did not come online. */
static bool start_one(struct cpu *c, uint32_t apic_id, uint32_t pgdir)
{
    c->index = (unsigned)(c - cpus);
    c->arch_id = apic_id;
    write_slot(ap_cr3, pgdir);
    write_slot(ap_cr4, read_cr4());
    write_slot(ap_stack, (uint32_t)(uintptr_t)(ap_stacks[c->index] + AP_STACK_SIZE));
    write_slot(ap_entry, (uint32_t)(uintptr_t)smp_ap_entry);
    write_slot(ap_cpu, (uint32_t)(uintptr_t)c);
    lapic_send_init(apic_id);
    lapic_send_startup(apic_id, AP_TRAMPOLINE_PHYS >> 12);
    if (!wait_online(c, 10000)) {
        lapic_send_startup(apic_id, AP_TRAMPOLINE_PHYS >> 12); /* the MP spec's second try */
    }
    return wait_online(c, 1000000);
}

void arch_cpus_start(unsigned max)
{
    cpus[0].online = true;
    if (!have_madt) {
        return;
    }
    lapic_enable();
    cpus[0].arch_id = lapic_id();
    if (ioapic_present()) {
        trap_use_ioapic(); /* the devices' interrupts from here on: to this CPU's local APIC */
    }
    unsigned wanted = max == 0 || max > CPU_MAX ? CPU_MAX : max;
    if (madt.cpu_count < 2 || wanted < 2) {
        return;
    }
    timer_count = lapic_timer_calibrate(CLOCK_HZ);
    /* The trampoline's page directory: its own first 4 MiB one to one (paging goes on there)
     * and the kernel half as the kernel maps it. */
    uint32_t pgdir = frame_alloc_zeroed();
    if (pgdir == 0) {
        kprintf("cpus: no frame for the trampoline's page directory; one CPU only\n");
        return;
    }
    uint32_t *pd = phys_to_virt(pgdir);
    const uint32_t *kernel_pd = phys_to_virt(vm_active_pgdir());
    for (uint32_t i = KERNBASE >> 22; i < 1024; i++) {
        pd[i] = kernel_pd[i];
    }
    pd[0] = PDE_LARGE_RW;
    memcpy(phys_to_virt(AP_TRAMPOLINE_PHYS), ap_trampoline,
           (size_t)(ap_trampoline_end - ap_trampoline));
    for (unsigned i = 0; i < madt.cpu_count && cpu_count < wanted; i++) {
        uint32_t id = madt.apic_ids[i];
        if (id == cpus[0].arch_id) {
            continue;
        }
        if (!start_one(&cpus[cpu_count], id, pgdir)) {
            kprintf("cpus: the CPU with local APIC id %u did not start; left out\n", id);
            continue;
        }
        cpu_count++;
    }
    frame_free(pgdir);
    kprintf("cpus: %u running; local APIC timer %u counts per tick\n", cpu_count, timer_count);
}

void arch_cpus_go(void)
{
    if (cpu_count < 2) {
        return;
    }
    go = true;
    for (unsigned i = 1; i < cpu_count; i++) {
        lapic_send_ipi(cpus[i].arch_id, VECTOR_IPI_WAKE);
    }
}

void arch_cpus_wake_idle(void)
{
    struct cpu *me = this_cpu();
    for (unsigned i = 0; i < cpu_count; i++) {
        struct cpu *c = &cpus[i];
        if (c != me && c->idle) {
            lapic_send_ipi(c->arch_id, VECTOR_IPI_WAKE);
        }
    }
}

void arch_cpu_answer_calls(void)
{
    struct cpu *c = this_cpu();
    void (*fn)(void *) = c->call_fn;
    if (fn != NULL) {
        void *arg = c->call_arg;
        fn(arg);
        c->calls_answered++;
        c->call_fn = NULL; /* the caller waits for this store */
    }
}

void arch_cpu_call(struct cpu *c, void (*fn)(void *), void *arg)
{
    if (c == this_cpu()) {
        fn(arg);
        return;
    }
    c->call_arg = arg;
    c->call_fn = fn; /* x86 keeps stores in order: the argument is there first */
    lapic_send_ipi(c->arch_id, VECTOR_IPI_CALL);
    while (c->call_fn != NULL) {
        arch_cpu_answer_calls(); /* never leave a call to this CPU waiting meanwhile */
        arch_cpu_relax();
    }
}

struct tlb_request {
    uint32_t pgdir;
    uint32_t va;
};

static void flush_here(void *arg)
{
    const struct tlb_request *r = arg;
    if (r->pgdir != 0 && read_cr3() != r->pgdir) {
        return; /* it moved on to another space meanwhile */
    }
    if (r->va == TLB_ALL) {
        write_cr3(read_cr3());
    } else {
        invlpg(r->va);
    }
}

void smp_tlb_shootdown(uint32_t pgdir, uint32_t va)
{
    if (cpu_count < 2) {
        return;
    }
    struct tlb_request request = { pgdir, va };
    struct cpu *me = this_cpu();
    for (unsigned i = 0; i < cpu_count; i++) {
        struct cpu *c = &cpus[i];
        if (c != me && (pgdir == 0 || c->active_pgdir == pgdir)) {
            arch_cpu_call(c, flush_here, &request);
        }
    }
}

void smp_ipi(uint32_t vector)
{
    if (vector == VECTOR_LAPIC_SPURIOUS) {
        return; /* no end of interrupt for a spurious one */
    }
    lapic_eoi();
    if (vector == VECTOR_IPI_CALL) {
        arch_cpu_answer_calls();
    }
}
