#pragma once
#include <stdint.h>

#define VGA_COLUMNS 80
#define VGA_ROWS    25

/* Clears the 80x25 text screen and puts the cursor at the top left. */
void vga_init(void);

/* Writes one character at the cursor; handles '\n', '\r', '\b' and '\t', scrolls at the bottom. */
void vga_putc(char c);
