#pragma once
/*
 * The trap frame: what trap_entry.S leaves on the kernel stack for every interrupt, exception
 * and system call. The offsets are shared with the assembly; the _Static_asserts below keep the
 * two from drifting apart.
 */
#include <stddef.h>
#include <stdint.h>

struct trap_frame {
    /* pushal, in the order it leaves them in memory */
    uint32_t edi;        /*  0 */
    uint32_t esi;        /*  4 */
    uint32_t ebp;        /*  8 */
    uint32_t esp_pushal; /* 12: esp at the pushal; ignored by popal */
    uint32_t ebx;        /* 16 */
    uint32_t edx;        /* 20 */
    uint32_t ecx;        /* 24 */
    uint32_t eax;        /* 28 */
    /* segment registers, pushed by trap_common */
    uint32_t gs; /* 32 */
    uint32_t fs; /* 36 */
    uint32_t es; /* 40 */
    uint32_t ds; /* 44 */
    /* pushed by the per-vector stub */
    uint32_t vector;     /* 48 */
    uint32_t error_code; /* 52: 0 for vectors without one */
    /* pushed by the CPU */
    uint32_t eip;    /* 56 */
    uint32_t cs;     /* 60 */
    uint32_t eflags; /* 64 */
    /* pushed by the CPU only when the trap came from ring 3 */
    uint32_t user_esp; /* 68 */
    uint32_t user_ss;  /* 72 */
};

#define TRAP_FRAME_VECTOR_OFFSET 48
#define TRAP_FRAME_KERNEL_SIZE   68 /* a frame from ring 0 ends before user_esp */
#define TRAP_FRAME_SIZE          76

_Static_assert(offsetof(struct trap_frame, eax) == 28, "pushal layout");
_Static_assert(offsetof(struct trap_frame, gs) == 32, "segment layout");
_Static_assert(offsetof(struct trap_frame, vector) == TRAP_FRAME_VECTOR_OFFSET, "stub layout");
_Static_assert(offsetof(struct trap_frame, eip) == 56, "CPU frame layout");
_Static_assert(offsetof(struct trap_frame, user_esp) == TRAP_FRAME_KERNEL_SIZE, "ring 3 part");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "whole frame");

static inline int trap_from_user(const struct trap_frame *tf)
{
    return (tf->cs & 3) == 3;
}

/* Vectors: 0-31 CPU exceptions, 32-47 the two 8259 PICs' IRQ lines, 0x80 system calls. */
#define VECTOR_DEBUG        1
#define VECTOR_PAGE_FAULT   14
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_IRQ_BASE     32
#define VECTOR_COUNT_STUBS  48
#define VECTOR_SYSCALL      0x80
