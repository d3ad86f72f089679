/*
 * The PS/2 keyboard on IRQ 1: scan code set 1, US layout, with shift, ctrl and caps lock.
 * Each key press that means a character goes to the tty; ctrl+letter gives the control
 * character (Ctrl-C is 3, Ctrl-D is 4, Ctrl-U is 21).
 */
#include <arch.h>

#include <arch/x86.h>

#include "keyboard.h"
#include "trap.h"

#define KBD_DATA   0x60
#define KBD_STATUS 0x64

#define SC_LEFT_SHIFT  0x2a
#define SC_RIGHT_SHIFT 0x36
#define SC_CTRL        0x1d
#define SC_CAPS_LOCK   0x3a
#define SC_RELEASED    0x80

static const char normal[0x3a] = {
    0,    27,  '1', '2', '3', '4', '5', '6', '7', '8', '9',  '0', '-', '=',  '\b',
    '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',  '[', ']', '\n', 0,
    'a',  's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
    'x',  'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',  0,   ' ',
};

static const char shifted[0x3a] = {
    0,    27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',  '\b',
    '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,
    'A',  'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|',  'Z',
    'X',  'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

static int shift;
static int ctrl;
static int caps_lock;

static void keyboard_interrupt(void)
{
    while (inb(KBD_STATUS) & 1) {
        uint8_t code = inb(KBD_DATA);
        int released = code & SC_RELEASED;
        uint8_t key = code & (uint8_t)~SC_RELEASED;
        if (key == SC_LEFT_SHIFT || key == SC_RIGHT_SHIFT) {
            shift = !released;
        } else if (key == SC_CTRL) {
            ctrl = !released;
        } else if (key == SC_CAPS_LOCK && !released) {
            caps_lock = !caps_lock;
        } else if (!released && key < sizeof(normal)) {
            char c = shift ? shifted[key] : normal[key];
            if (caps_lock && c >= 'a' && c <= 'z') {
                c = (char)(c - 'a' + 'A');
            } else if (caps_lock && c >= 'A' && c <= 'Z' && shift) {
                c = (char)(c - 'A' + 'a');
            }
            if (ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                c = (char)((c | 0x20) - 'a' + 1);
            }
            if (c) {
                tty_receive(c);
            }
        }
    }
}

void keyboard_start(void)
{
    while (inb(KBD_STATUS) & 1) {
        inb(KBD_DATA); /* drop whatever arrived before we listened */
    }
    arch_irq_register(1, keyboard_interrupt);
}
