#pragma once
/*
 * The trap frame: what trap_entry.S leaves on the kernel stack for every interrupt, exception
 * and system call. The byte offsets below are the assembly's names for its fields; this header
 * is included from .S files too, so everything C sits under #ifndef __ASSEMBLER__, and the
 * _Static_asserts keep the struct and the names from drifting apart.
 */

/* pushal, in the order it leaves them in memory */
#define TF_EDI        0
#define TF_ESI        4
#define TF_EBP        8
#define TF_ESP_PUSHAL 12 /* esp at the pushal; ignored by popal */
#define TF_EBX        16
#define TF_EDX        20
#define TF_ECX        24
#define TF_EAX        28
/* segment registers, pushed by trap_common */
#define TF_GS 32
#define TF_FS 36
#define TF_ES 40
#define TF_DS 44
/* pushed by the per-vector stub */
#define TF_VECTOR     48
#define TF_ERROR_CODE 52 /* 0 for vectors without one; the call number for int 0x80 */
/* pushed by the CPU */
#define TF_EIP    56
#define TF_CS     60
#define TF_EFLAGS 64
/* pushed by the CPU only when the trap came from ring 3 */
#define TF_USER_ESP 68
#define TF_USER_SS  72

#define TRAP_FRAME_VECTOR_OFFSET TF_VECTOR
#define TRAP_FRAME_KERNEL_SIZE   TF_USER_ESP /* a frame from ring 0 ends before user_esp */
#define TRAP_FRAME_SIZE          76

/* What arch_switch (context.S) pushes below a stack it leaves, lowest address first: edi, esi,
 * ebx, ebp, under the return address its caller pushed. */
#define SWITCH_FRAME_EDI            0
#define SWITCH_FRAME_ESI            4
#define SWITCH_FRAME_EBX            8
#define SWITCH_FRAME_EBP            12
#define SWITCH_FRAME_RETURN_ADDRESS 16
#define SWITCH_FRAME_SIZE           20

/* The entry path increments event_counters.kernel_entries (struct ringlet_counters) by address. */
#define COUNTERS_KERNEL_ENTRIES 0

/* The system-call return path tests these fields of current (struct proc) itself, to return
 * without a C call when nothing is due (asserted in process.c): signals.pending (64 bits),
 * signals.restore_saved and signals.stop_pending (bools). */
#define PROC_SIGNALS_PENDING       652
#define PROC_SIGNALS_RESTORE_SAVED 1720
#define PROC_SIGNALS_STOP_PENDING  2368

/* And these of this CPU's struct cpu (kernel/cpu.h), through %fs (asserted in process.c):
 * the running process, and the preemption request. */
#define CPU_PROC                 12
#define CPU_PREEMPTION_REQUESTED 20

/* Vectors: 0-31 CPU exceptions, 32-47 the two 8259 PICs' IRQ lines, 0x80 system calls. */
#define VECTOR_DEBUG        1
#define VECTOR_PAGE_FAULT   14
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_IRQ_BASE     32
#define VECTOR_COUNT_STUBS  64
/* The local APIC's own vectors (lapic.c, smp.c): above the 16 ISA IRQs. */
#define VECTOR_LAPIC_TIMER 48 /* each CPU's preemption tick */
#define VECTOR_IPI_CALL    49 /* make the call cpu->call_fn names (arch_cpu_call: TLB shootdowns) */
#define VECTOR_IPI_WAKE    50 /* a process became runnable: leave hlt and look */
#define VECTOR_LAPIC_SPURIOUS 63
#define VECTOR_SYSCALL        0x80

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct trap_frame {
    uint32_t edi;        /* 0 */
    uint32_t esi;        /* 4 */
    uint32_t ebp;        /* 8 */
    uint32_t esp_pushal; /* 12 */
    uint32_t ebx;        /* 16 */
    uint32_t edx;        /* 20 */
    uint32_t ecx;        /* 24 */
    uint32_t eax;        /* 28 */
    uint32_t gs;         /* 32 */
    uint32_t fs;         /* 36 */
    uint32_t es;         /* 40 */
    uint32_t ds;         /* 44 */
    uint32_t vector;     /* 48 */
    uint32_t error_code; /* 52 */
    uint32_t eip;        /* 56 */
    uint32_t cs;         /* 60 */
    uint32_t eflags;     /* 64 */
    uint32_t user_esp;   /* 68 */
    uint32_t user_ss;    /* 72 */
};

_Static_assert(offsetof(struct trap_frame, edi) == TF_EDI, "pushal layout");
_Static_assert(offsetof(struct trap_frame, esi) == TF_ESI, "pushal layout");
_Static_assert(offsetof(struct trap_frame, ebp) == TF_EBP, "pushal layout");
_Static_assert(offsetof(struct trap_frame, esp_pushal) == TF_ESP_PUSHAL, "pushal layout");
_Static_assert(offsetof(struct trap_frame, ebx) == TF_EBX, "pushal layout");
_Static_assert(offsetof(struct trap_frame, edx) == TF_EDX, "pushal layout");
_Static_assert(offsetof(struct trap_frame, ecx) == TF_ECX, "pushal layout");
_Static_assert(offsetof(struct trap_frame, eax) == TF_EAX, "pushal layout");
_Static_assert(offsetof(struct trap_frame, gs) == TF_GS, "segment layout");
_Static_assert(offsetof(struct trap_frame, fs) == TF_FS, "segment layout");
_Static_assert(offsetof(struct trap_frame, es) == TF_ES, "segment layout");
_Static_assert(offsetof(struct trap_frame, ds) == TF_DS, "segment layout");
_Static_assert(offsetof(struct trap_frame, vector) == TF_VECTOR, "stub layout");
_Static_assert(offsetof(struct trap_frame, error_code) == TF_ERROR_CODE, "stub layout");
_Static_assert(offsetof(struct trap_frame, eip) == TF_EIP, "CPU frame layout");
_Static_assert(offsetof(struct trap_frame, cs) == TF_CS, "CPU frame layout");
_Static_assert(offsetof(struct trap_frame, eflags) == TF_EFLAGS, "CPU frame layout");
_Static_assert(offsetof(struct trap_frame, user_esp) == TF_USER_ESP, "ring 3 part");
_Static_assert(offsetof(struct trap_frame, user_ss) == TF_USER_SS, "ring 3 part");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "whole frame");

static inline int trap_from_user(const struct trap_frame *tf)
{
    return (tf->cs & 3) == 3;
}
#endif /* __ASSEMBLER__ */
