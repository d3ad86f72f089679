#pragma once
#include <stdint.h>

/* Busy-waits at least us microseconds on the PIT's channel 2 (the speaker's, gated through
 * port 0x61), without interrupts: for the APIC's start-up delays and timer calibration. */
void pit_delay_us(uint32_t us);
