/*
 * The local APIC (Intel SDM vol. 3A, chapter 11), through its memory-mapped registers.
 */
#include "lapic.h"

#include <kprintf.h>

#include <arch/trapframe.h>
#include <arch/irqflags.h>
#include <arch/x86.h>

#include "devmap.h"
#include "pit.h"

#define REG_ID         0x020
#define REG_TPR        0x080
#define REG_EOI        0x0b0
#define REG_SVR        0x0f0
#define REG_ESR        0x280
#define REG_ICR_LOW    0x300
#define REG_ICR_HIGH   0x310
#define REG_LVT_TIMER  0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_NOW  0x390
#define REG_TIMER_DIV  0x3e0

#define SVR_ENABLE        0x100
#define ICR_PENDING       (1u << 12)
#define ICR_LEVEL_ASSERT  (1u << 14)
#define ICR_LEVEL_TRIGGER (1u << 15)
#define ICR_INIT          0x500
#define ICR_STARTUP       0x600
#define TIMER_PERIODIC    (1u << 17)
#define TIMER_MASKED      (1u << 16)
#define TIMER_DIVIDE_16   0x3

static volatile uint32_t *lapic;

static uint32_t read_reg(uint32_t reg)
{
    return lapic[reg / 4];
}

static void write_reg(uint32_t reg, uint32_t value)
{
    lapic[reg / 4] = value;
    (void)lapic[REG_ID / 4]; /* a read makes the write take effect before going on */
}

void lapic_map(uint32_t phys)
{
    lapic = devmap_map(phys, 4096);
    if (lapic == NULL) {
        panic("lapic: cannot map the local APIC at 0x%08x", phys);
    }
}

void lapic_enable(void)
{
    write_reg(REG_SVR, SVR_ENABLE | VECTOR_LAPIC_SPURIOUS);
    write_reg(REG_TPR, 0);
    write_reg(REG_ESR, 0);
    write_reg(REG_ESR, 0); /* back-to-back writes clear the error status */
    write_reg(REG_LVT_TIMER, TIMER_MASKED);
    lapic_eoi(); /* nothing left in service from before */
}

uint32_t lapic_id(void)
{
    return read_reg(REG_ID) >> 24;
}

void lapic_eoi(void)
{
    write_reg(REG_EOI, 0);
}

static void send(uint32_t apic_id, uint32_t command)
{
    write_reg(REG_ICR_HIGH, apic_id << 24);
    write_reg(REG_ICR_LOW, command);
    while (read_reg(REG_ICR_LOW) & ICR_PENDING) {
        arch_cpu_relax();
    }
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    send(apic_id, vector);
}

void lapic_send_init(uint32_t apic_id)
{
    send(apic_id, ICR_INIT | ICR_LEVEL_ASSERT | ICR_LEVEL_TRIGGER);
    pit_delay_us(10000);
    send(apic_id, ICR_INIT | ICR_LEVEL_TRIGGER); /* de-assert */
}

void lapic_send_startup(uint32_t apic_id, uint8_t vector_page)
{
    send(apic_id, ICR_STARTUP | vector_page);
    pit_delay_us(200);
}

uint32_t lapic_timer_calibrate(unsigned hz)
{
    write_reg(REG_TIMER_DIV, TIMER_DIVIDE_16);
    write_reg(REG_LVT_TIMER, TIMER_MASKED);
    write_reg(REG_TIMER_INIT, 0xffffffffu);
    pit_delay_us(1000000 / hz);
    uint32_t elapsed = 0xffffffffu - read_reg(REG_TIMER_NOW);
    write_reg(REG_TIMER_INIT, 0);
    return elapsed ? elapsed : 1;
}

void lapic_timer_start(uint32_t count)
{
    write_reg(REG_TIMER_DIV, TIMER_DIVIDE_16);
    write_reg(REG_LVT_TIMER, TIMER_PERIODIC | VECTOR_LAPIC_TIMER);
    write_reg(REG_TIMER_INIT, count);
}
