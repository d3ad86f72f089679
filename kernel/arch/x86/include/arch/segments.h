#pragma once

/* GDT selectors. The low two bits of a selector are the privilege level it asks for. */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_CS   (0x18 | 3)
#define USER_DS   (0x20 | 3)
#define TSS_SEL   0x28
#define DOUBLE_FAULT_TSS_SEL 0x30
