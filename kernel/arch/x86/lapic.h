#pragma once
/*
 * The local APIC: each CPU's own interrupt controller, at the same physical address on every
 * CPU (each reaches its own). Ringlet uses it for the other CPUs' timer ticks, for
 * inter-processor interrupts, and to start the application processors.
 */
#include <stdint.h>

/* Maps the local APIC at phys into the device window (before vm_init). */
void lapic_map(uint32_t phys);

/* Turns on this CPU's local APIC: spurious vector, task priority 0, LINT pins left as the
 * firmware set them (the boot CPU still takes the 8259's interrupts through LINT0). */
void lapic_enable(void);

/* This CPU's local APIC id. */
uint32_t lapic_id(void);

/* Ends the interrupt being handled (the local APIC's own vectors). */
void lapic_eoi(void);

/* Sends vector to the CPU with APIC id apic_id and waits until the APIC has taken it. */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);

/* The INIT and STARTUP inter-processor interrupts that start an application processor; the
 * startup one begins it in real mode at page vector_page (address vector_page * 4096). */
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint8_t vector_page);

/* Measures the local APIC timer against the PIT: counts per 1/hz s (call on the boot CPU). */
uint32_t lapic_timer_calibrate(unsigned hz);

/* Starts this CPU's timer: VECTOR_LAPIC_TIMER every count (lapic_timer_calibrate's) counts. */
void lapic_timer_start(uint32_t count);
