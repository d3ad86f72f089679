/*
 * COM1, the 16550 UART at I/O port 0x3f8: 115200 baud, 8 data bits, no parity, 1 stop bit.
 * Output is polled: we wait until the transmit register is empty, then write the byte.
 */
#include "uart.h"

#include <arch.h>

#include <arch/x86.h>

#include "trap.h"

#define COM1 0x3f8

enum {
    REG_DATA = 0,       /* with DLAB set: divisor low byte */
    REG_INT_ENABLE = 1, /* with DLAB set: divisor high byte */
    REG_FIFO_CTRL = 2,
    REG_LINE_CTRL = 3,
    REG_MODEM_CTRL = 4,
    REG_LINE_STATUS = 5,
};

#define LINE_DLAB       0x80
#define LINE_8N1        0x03
#define STATUS_TX_EMPTY 0x20
#define UART_CLOCK_HZ   115200

void uart_init(void)
{
    uint16_t divisor = UART_CLOCK_HZ / 115200;
    outb(COM1 + REG_INT_ENABLE, 0x00); /* no interrupts (yet) */
    outb(COM1 + REG_LINE_CTRL, LINE_DLAB);
    outb(COM1 + REG_DATA, divisor & 0xff);
    outb(COM1 + REG_INT_ENABLE, divisor >> 8);
    outb(COM1 + REG_LINE_CTRL, LINE_8N1);
    /*
     * FIFOs stay off: switching them on empties them, and input may already be waiting (a
     * script can type before the kernel boots). One byte at a time is plenty for a console.
     */
    outb(COM1 + REG_FIFO_CTRL, 0x00);
    outb(COM1 + REG_MODEM_CTRL, 0x03); /* DTR and RTS */
}

void uart_putc(char c)
{
    while ((inb(COM1 + REG_LINE_STATUS) & STATUS_TX_EMPTY) == 0) {
    }
    outb(COM1 + REG_DATA, (uint8_t)c);
}

/* IRQ 4: hand every received byte to the tty. */
static void serial_interrupt(void)
{
    int c;
    while ((c = uart_read_byte()) >= 0) {
        tty_receive((char)c);
    }
}

void uart_start_input(void)
{
    outb(COM1 + REG_INT_ENABLE, 0x01); /* interrupt when data arrives */
    outb(COM1 + REG_MODEM_CTRL, 0x0b); /* DTR, RTS and OUT2 (which gates the IRQ line) */
    arch_irq_register(4, serial_interrupt);
}

int uart_read_byte(void)
{
    if ((inb(COM1 + REG_LINE_STATUS) & 0x01) == 0) {
        return -1;
    }
    return inb(COM1 + REG_DATA);
}
