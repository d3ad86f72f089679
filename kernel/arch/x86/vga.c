/*
 * The VGA text screen: 80x25 cells at physical 0xb8000, each a character byte and a colour byte.
 * The hardware cursor is moved through the CRT controller's index/data ports 0x3d4/0x3d5.
 */
#include "vga.h"

#include <arch/memlayout.h>
#include <arch/x86.h>

#define VGA_TEXT_PHYS 0xb8000u
#define VGA_COLOUR    0x07 /* light grey on black */
#define CRTC_INDEX    0x3d4
#define CRTC_DATA     0x3d5
#define CURSOR_HIGH   0x0e
#define CURSOR_LOW    0x0f

static volatile uint16_t *const screen = (volatile uint16_t *)(KERNBASE + VGA_TEXT_PHYS);
static unsigned cursor_row;
static unsigned cursor_column;

static uint16_t cell(char c)
{
    return (uint16_t)(VGA_COLOUR << 8 | (uint8_t)c);
}

static void move_hardware_cursor(void)
{
    uint16_t pos = (uint16_t)(cursor_row * VGA_COLUMNS + cursor_column);
    outb(CRTC_INDEX, CURSOR_HIGH);
    outb(CRTC_DATA, pos >> 8);
    outb(CRTC_INDEX, CURSOR_LOW);
    outb(CRTC_DATA, pos & 0xff);
}

static void scroll_one_line(void)
{
    for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLUMNS; i++) {
        screen[i] = screen[i + VGA_COLUMNS];
    }
    for (unsigned i = 0; i < VGA_COLUMNS; i++) {
        screen[(VGA_ROWS - 1) * VGA_COLUMNS + i] = cell(' ');
    }
}

void vga_init(void)
{
    for (unsigned i = 0; i < VGA_ROWS * VGA_COLUMNS; i++) {
        screen[i] = cell(' ');
    }
    cursor_row = 0;
    cursor_column = 0;
    move_hardware_cursor();
}

static void new_line(void)
{
    cursor_column = 0;
    if (++cursor_row == VGA_ROWS) {
        scroll_one_line();
        cursor_row = VGA_ROWS - 1;
    }
}

void vga_putc(char c)
{
    switch (c) {
    case '\n':
        new_line();
        break;
    case '\r':
        cursor_column = 0;
        break;
    case '\b':
        if (cursor_column > 0) {
            cursor_column--;
            screen[cursor_row * VGA_COLUMNS + cursor_column] = cell(' ');
        }
        break;
    case '\t':
        do {
            vga_putc(' ');
        } while (cursor_column % 8 != 0);
        return;
    default:
        screen[cursor_row * VGA_COLUMNS + cursor_column] = cell(c);
        if (++cursor_column == VGA_COLUMNS) {
            new_line();
        }
        break;
    }
    move_hardware_cursor();
}
