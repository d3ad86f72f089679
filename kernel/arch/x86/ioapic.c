/*
 * The I/O APIC (Intel's 82093AA datasheet): two memory-mapped registers, a selector at +0 and
 * a window at +0x10, through which its redirection table is read and written: one 64-bit entry
 * per input line, saying which vector goes to which local APIC, how, and whether it is masked.
 */
#include "ioapic.h"

#include <kprintf.h>
#include <lib/acpi.h>

#include "devmap.h"

#define REG_SELECT       0x00
#define REG_WINDOW       0x10
#define IOAPIC_VERSION   0x01
#define IOAPIC_TABLE     0x10 /* entry n: registers 0x10 + 2n (low) and 0x11 + 2n (high) */
#define ENTRY_MASKED     (1u << 16)
#define ENTRY_LEVEL      (1u << 15)
#define ENTRY_ACTIVE_LOW (1u << 13)
#define MPS_POLARITY     0x3u /* the MADT override's flags (ACPI's MPS INTI flags) */
#define MPS_LOW          0x3u
#define MPS_TRIGGER      0xcu
#define MPS_LEVEL        0xcu

static volatile uint32_t *ioapic;
static unsigned lines;
static uint32_t gsi_base;
static uint32_t isa_gsi[16];
static uint16_t isa_flags[16];

static uint32_t read_reg(uint32_t reg)
{
    ioapic[REG_SELECT / 4] = reg;
    return ioapic[REG_WINDOW / 4];
}

static void write_reg(uint32_t reg, uint32_t value)
{
    ioapic[REG_SELECT / 4] = reg;
    ioapic[REG_WINDOW / 4] = value;
}

void ioapic_map(const struct acpi_madt *madt)
{
    if (!madt->has_ioapic) {
        return;
    }
    ioapic = devmap_map(madt->ioapic_phys, 4096);
    if (ioapic == NULL) {
        kprintf("ioapic: cannot map the I/O APIC at 0x%08x; the 8259 PICs stay\n",
                madt->ioapic_phys);
        return;
    }
    lines = ((read_reg(IOAPIC_VERSION) >> 16) & 0xff) + 1;
    gsi_base = madt->ioapic_gsi_base;
    for (unsigned i = 0; i < 16; i++) {
        isa_gsi[i] = madt->isa_gsi[i];
        isa_flags[i] = madt->isa_flags[i];
    }
    for (unsigned n = 0; n < lines; n++) {
        write_reg(IOAPIC_TABLE + 2 * n, ENTRY_MASKED);
        write_reg(IOAPIC_TABLE + 2 * n + 1, 0);
    }
}

bool ioapic_present(void)
{
    return ioapic != NULL;
}

void ioapic_route_isa(unsigned irq, uint8_t vector, uint32_t apic_id)
{
    uint32_t gsi = isa_gsi[irq];
    if (gsi < gsi_base || gsi - gsi_base >= lines) {
        kprintf("ioapic: IRQ %u (global interrupt %u) is not on this I/O APIC\n", irq, gsi);
        return;
    }
    uint32_t low = vector; /* fixed delivery, physical destination, unmasked */
    if ((isa_flags[irq] & MPS_POLARITY) == MPS_LOW) {
        low |= ENTRY_ACTIVE_LOW;
    }
    if ((isa_flags[irq] & MPS_TRIGGER) == MPS_LEVEL) {
        low |= ENTRY_LEVEL;
    }
    unsigned n = gsi - gsi_base;
    write_reg(IOAPIC_TABLE + 2 * n + 1, apic_id << 24);
    write_reg(IOAPIC_TABLE + 2 * n, low);
}
