/*
 * The consoles: every byte goes to COM1 and to the screen, which is the VGA text screen on a
 * BIOS PC or a text console drawn into the linear framebuffer GRUB set up on UEFI (where there
 * is no text mode), whichever the boot information says exists.
 */
#include <arch.h>
#include <kprintf.h>
#include <lib/bootinfo.h>

#include "devmap.h"
#include "fbcon.h"
#include "uart.h"
#include "vga.h"

#define VGA_TEXT_PHYS 0xb8000u

/* The screen beside the serial port: chosen from what the boot loader says it set up. */
static enum { SCREEN_NONE, SCREEN_VGA_TEXT, SCREEN_FRAMEBUFFER } screen;
static const char *screen_problem; /* why a framebuffer GRUB gave us is not used */

void arch_console_init(void)
{
    uart_init();
}

static void framebuffer_init(const struct bootinfo_framebuffer *fb)
{
    void *pixels = devmap_map(fb->addr, (uint64_t)fb->pitch * fb->height);
    if (pixels == NULL) {
        screen_problem = "it cannot be mapped (above 4 GiB, or too large)";
        return;
    }
    if (fbcon_init(fb, pixels, &screen_problem)) {
        screen = SCREEN_FRAMEBUFFER;
    }
}

void arch_console_screen_init(const struct boot_info *info)
{
    const struct bootinfo_framebuffer *fb = info->has_framebuffer ? &info->framebuffer : NULL;
    if (fb != NULL && fb->type != FRAMEBUFFER_EGA_TEXT) {
        framebuffer_init(fb);
    } else if (fb != NULL || info->efi_bits == 0) {
        vga_init(); /* EGA text, or no word on a PC: its VGA text mode, as before Multiboot2 */
        screen = SCREEN_VGA_TEXT;
    } else {
        screen_problem = "UEFI machines have no VGA text mode"; /* and no framebuffer given */
    }
}

void arch_console_print_screen(const struct boot_info *info)
{
    const struct bootinfo_framebuffer *fb = info->has_framebuffer ? &info->framebuffer : NULL;
    switch (screen) {
    case SCREEN_VGA_TEXT:
        kprintf("console: serial COM1 and VGA text, %ux%u characters at 0x%05x\n", VGA_COLUMNS,
                VGA_ROWS, VGA_TEXT_PHYS);
        break;
    case SCREEN_FRAMEBUFFER: {
        unsigned columns, rows, font_width, font_height;
        fbcon_geometry(&columns, &rows, &font_width, &font_height);
        kprintf("console: serial COM1 and framebuffer, %ux%u characters (font %ux%u)\n", columns,
                rows, font_width, font_height);
        break;
    }
    default:
        kprintf("console: serial COM1 only%s%s\n", screen_problem ? ": " : "",
                screen_problem ? screen_problem : "");
        break;
    }
    if (fb != NULL && fb->type != FRAMEBUFFER_EGA_TEXT) {
        kprintf("framebuffer: %ux%u, %u bits per pixel (%s), pitch %u, at 0x%llx%s%s\n", fb->width,
                fb->height, fb->bpp, bootinfo_framebuffer_type_name(fb->type), fb->pitch,
                (unsigned long long)fb->addr, screen_problem ? "; not used: " : "",
                screen_problem ? screen_problem : "");
    }
}

void arch_console_write(const char *text, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            uart_putc('\r');
        }
        uart_putc(text[i]);
        if (screen == SCREEN_VGA_TEXT) {
            vga_putc(text[i]);
        } else if (screen == SCREEN_FRAMEBUFFER) {
            fbcon_putc(text[i]);
        }
    }
}
