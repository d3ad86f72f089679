/*
 * The 8253/8254 programmable interval timer: channel 0, on IRQ 0, is the clock tick; channel 2
 * measures short delays by polling (pit.h).
 */
#include <arch.h>

#include <arch/irqflags.h>
#include <arch/x86.h>

#include "pit.h"
#include "trap.h"

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND  0x43
#define PIT_HZ       1193182u
#define PIT_CHANNEL2 0x42
#define PORT_B       0x61 /* bit 0: channel 2's gate; bit 1: speaker; bit 5: channel 2's output */
#define PIT_MAX_US   50000u

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

void pit_delay_us(uint32_t us)
{
    while (us > 0) {
        uint32_t step = us < PIT_MAX_US ? us : PIT_MAX_US;
        uint32_t count = (uint32_t)((uint64_t)step * PIT_HZ / 1000000u) + 1;
        outb(PORT_B, (uint8_t)((inb(PORT_B) & ~0x02u) | 0x01u)); /* gate on, speaker off */
        outb(PIT_COMMAND, 0xb0); /* channel 2, low then high byte, mode 0 (count down once) */
        outb(PIT_CHANNEL2, count & 0xff);
        outb(PIT_CHANNEL2, (count >> 8) & 0xff);
        while ((inb(PORT_B) & 0x20) == 0) {
            arch_cpu_relax();
        }
        us -= step;
    }
}
