/*
 * The two 8259 programmable interrupt controllers. By default they deliver IRQs 0-15 on vectors
 * that collide with CPU exceptions, so we move them to 0x20-0x2f and mask every line until a
 * driver asks for it with pic_unmask().
 */
#include "pic.h"

#include <arch/trapframe.h>
#include <arch/x86.h>

#define PIC1_COMMAND   0x20
#define PIC1_DATA      0x21
#define PIC2_COMMAND   0xa0
#define PIC2_DATA      0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086      0x01
#define PIC_EOI        0x20
#define CASCADE_IRQ    2

static uint16_t irq_mask = 0xffff & ~(1u << CASCADE_IRQ);

static void write_mask(void)
{
    outb(PIC1_DATA, irq_mask & 0xff);
    outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
    outb(PIC1_COMMAND, ICW1_INIT_ICW4);
    outb(PIC2_COMMAND, ICW1_INIT_ICW4);
    outb(PIC1_DATA, VECTOR_IRQ_BASE); /* ICW2: vector offsets */
    outb(PIC2_DATA, VECTOR_IRQ_BASE + 8);
    outb(PIC1_DATA, 1u << CASCADE_IRQ); /* ICW3: the slave hangs off IRQ 2 */
    outb(PIC2_DATA, CASCADE_IRQ);
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    write_mask();
}

void pic_unmask(unsigned irq)
{
    irq_mask &= (uint16_t)~(1u << irq);
    write_mask();
}

void pic_mask(unsigned irq)
{
    irq_mask |= (uint16_t)(1u << irq);
    write_mask();
}

void pic_mask_all(void)
{
    irq_mask = 0xffff;
    write_mask();
}

void pic_end_of_interrupt(unsigned irq)
{
    if (irq >= 8) {
        outb(PIC2_COMMAND, PIC_EOI);
    }
    outb(PIC1_COMMAND, PIC_EOI);
}

/* IRQ 7 and 15 can fire without a real request; the in-service register tells. */
int pic_is_spurious(unsigned irq)
{
    if (irq != 7 && irq != 15) {
        return 0;
    }
    uint16_t port = irq == 7 ? PIC1_COMMAND : PIC2_COMMAND;
    outb(port, 0x0b); /* OCW3: read in-service register */
    int in_service = inb(port) & 0x80;
    if (!in_service && irq == 15) {
        outb(PIC1_COMMAND, PIC_EOI); /* the master did see the cascade line */
    }
    return !in_service;
}
