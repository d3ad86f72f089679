#pragma once

/* Drops any byte already waiting in the PS/2 controller and turns on the keyboard interrupt
 * (IRQ 1); typed characters then go to tty_receive(). */
void keyboard_start(void);
