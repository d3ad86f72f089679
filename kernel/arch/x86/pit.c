/*
 * The 8253/8254 programmable interval timer, channel 0, on IRQ 0: the clock tick.
 */
#include <arch.h>

#include <arch/x86.h>

#include "trap.h"

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND  0x43
#define PIT_HZ       1193182u

static void timer_interrupt(void)
{
    clock_on_tick();
}

void arch_timer_start(unsigned hz)
{
    uint32_t divisor = PIT_HZ / hz;
    outb(PIT_COMMAND, 0x36); /* channel 0, low then high byte, mode 3 (square wave) */
    outb(PIT_CHANNEL0, divisor & 0xff);
    outb(PIT_CHANNEL0, (divisor >> 8) & 0xff);
    arch_irq_register(0, timer_interrupt);
}
