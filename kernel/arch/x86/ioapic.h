#pragma once
/*
 * The I/O APIC: routes the devices' interrupt lines (global system interrupts) to a CPU's
 * local APIC, in place of the 8259 PICs, once the MADT has named one (smp.c).
 */
#include <stdbool.h>
#include <stdint.h>

struct acpi_madt;

/* Maps the first I/O APIC the MADT lists (before vm_init) and masks all its lines. */
void ioapic_map(const struct acpi_madt *madt);

/* Whether ioapic_map found one: then interrupts come through it, not the PICs. */
bool ioapic_present(void);

/* Sends ISA IRQ irq (through the MADT's overrides) to the CPU with local APIC id apic_id as
 * vector, edge or level and high or low as the MADT says (ISA's default: edge, high). */
void ioapic_route_isa(unsigned irq, uint8_t vector, uint32_t apic_id);
