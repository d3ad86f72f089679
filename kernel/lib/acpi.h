#pragma once
/*
 * ACPI's tables, as far as Ringlet reads them: from the root pointer (RSDP) through the RSDT or
 * XSDT to the MADT ("APIC"), which lists the processors' local APICs, the I/O APICs and how the
 * ISA interrupts are wired to them. Pure parsing: the caller says how a physical address is
 * reached, so the same code runs in the kernel and in a host test.
 */
#include <stdbool.h>
#include <stdint.h>

#define ACPI_MAX_CPUS 16

struct acpi_madt {
    uint32_t lapic_phys;             /* every CPU's local APIC, at the same address */
    unsigned cpu_count;              /* usable processors, the first ACPI_MAX_CPUS */
    uint8_t apic_ids[ACPI_MAX_CPUS]; /* their local APIC ids, in the table's order */
    unsigned cpus_ignored;           /* usable ones past ACPI_MAX_CPUS */
    bool has_ioapic;                 /* the first I/O APIC the table lists: */
    uint8_t ioapic_id;
    uint32_t ioapic_phys;
    uint32_t ioapic_gsi_base;
    uint32_t isa_gsi[16];   /* ISA IRQ n arrives at global interrupt isa_gsi[n] */
    uint16_t isa_flags[16]; /* its polarity and trigger mode (MPS INTI flags) */
    char table_path[12];    /* "RSDT" or "XSDT": which list led to the MADT */
};

/* Returns a pointer through which size bytes at physical address phys may be read, or NULL
 * when they cannot be reached. */
typedef const void *(*acpi_map_fn)(uint64_t phys, uint32_t size);

/*
 * Finds and reads the MADT from the RSDP copy rsdp (rsdp_size bytes, as the boot loader passed
 * it). Checks every signature, length and checksum on the way. Returns 0 and fills out, or -1
 * with a one-line reason in why (why_size bytes).
 */
int acpi_read_madt(const void *rsdp, uint32_t rsdp_size, acpi_map_fn map, struct acpi_madt *out,
                   char *why, uint32_t why_size);
