#pragma once

/* Programs COM1 for 115200 8N1 with polled output. */
void uart_init(void);

/* Sends one byte, waiting while the transmitter is busy. */
void uart_putc(char c);

/* Turns on the receive interrupt (IRQ 4); received bytes go to tty_receive(). */
void uart_start_input(void);

/* The next received byte, or -1 when none is waiting. */
int uart_read_byte(void);
