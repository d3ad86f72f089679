#pragma once
/* The x86 registers a panic report captures (arch_capture_registers in cpu.c fills them). */
#include <stdint.h>

struct arch_registers {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
    uint32_t eip, eflags, cr0, cr2, cr3, cr4;
    uint16_t cs, ds, ss;
};
