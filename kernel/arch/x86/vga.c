/*
 * The VGA text screen: 80x25 cells at physical 0xb8000, each a character byte and a colour byte.
 * The hardware cursor is moved through the CRT controller's index/data ports 0x3d4/0x3d5.
 */
#include "vga.h"

#include <lib/textgrid.h>

#include <arch/memlayout.h>
#include <arch/x86.h>

#define VGA_TEXT_PHYS 0xb8000u
#define VGA_COLOUR    0x07 /* light grey on black */
#define CRTC_INDEX    0x3d4
#define CRTC_DATA     0x3d5
#define CURSOR_HIGH   0x0e
#define CURSOR_LOW    0x0f

static volatile uint16_t *const screen = (volatile uint16_t *)(KERNBASE + VGA_TEXT_PHYS);

static uint16_t cell(char c)
{
    return (uint16_t)(VGA_COLOUR << 8 | (uint8_t)c);
}

static void put_cell(void *ctx, unsigned row, unsigned column, char c)
{
    (void)ctx;
    screen[row * VGA_COLUMNS + column] = cell(c);
}

static void scroll_one_line(void *ctx)
{
    (void)ctx;
    for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLUMNS; i++) {
        screen[i] = screen[i + VGA_COLUMNS];
    }
    for (unsigned i = 0; i < VGA_COLUMNS; i++) {
        screen[(VGA_ROWS - 1) * VGA_COLUMNS + i] = cell(' ');
    }
}

static struct text_grid grid = {
    .rows = VGA_ROWS,
    .columns = VGA_COLUMNS,
    .put = put_cell,
    .scroll = scroll_one_line,
};

static void move_hardware_cursor(void)
{
    uint16_t pos = (uint16_t)(grid.row * VGA_COLUMNS + grid.column);
    outb(CRTC_INDEX, CURSOR_HIGH);
    outb(CRTC_DATA, pos >> 8);
    outb(CRTC_INDEX, CURSOR_LOW);
    outb(CRTC_DATA, pos & 0xff);
}

void vga_init(void)
{
    for (unsigned i = 0; i < VGA_ROWS * VGA_COLUMNS; i++) {
        screen[i] = cell(' ');
    }
    grid.row = 0;
    grid.column = 0;
    move_hardware_cursor();
}

void vga_putc(char c)
{
    text_grid_putc(&grid, c);
    move_hardware_cursor();
}
