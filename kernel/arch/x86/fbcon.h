#pragma once
/*
 * The framebuffer text console: characters drawn with a PSF bitmap font into the linear
 * framebuffer the boot loader set up (UEFI has no VGA text mode), with scrolling and a cursor.
 */
#include <lib/bootinfo.h>

#include <stdbool.h>

/*
 * Takes over the framebuffer fb describes, already mapped at pixels, and clears it. Returns
 * true, or false when it cannot draw there (not direct colour, a pixel size other than 16, 24
 * or 32 bits, or a screen smaller than one character); then the reason is in *why.
 */
bool fbcon_init(const struct bootinfo_framebuffer *fb, void *pixels, const char **why);

/* Draws c at the cursor and moves it, as vga_putc does ("\n", "\r", "\b", "\t" included). */
void fbcon_putc(char c);

/* The screen in characters, and the font's cell size in pixels. */
void fbcon_geometry(unsigned *columns, unsigned *rows, unsigned *font_width, unsigned *font_height);
