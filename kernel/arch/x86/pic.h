#pragma once

/* Remaps the PICs to vectors 0x20-0x2f and masks every IRQ line. */
void pic_init(void);
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);

/* Masks every line, the cascade too: the I/O APIC takes over (trap_use_ioapic). */
void pic_mask_all(void);
void pic_end_of_interrupt(unsigned irq);

/* True for a spurious IRQ 7 or 15, which must not be acknowledged as a real one. */
int pic_is_spurious(unsigned irq);
