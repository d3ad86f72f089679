/*
 * Interrupt and exception entry. One small stub per vector, generated below by a macro (not
 * written out 48 times): it pushes a zero when the CPU pushes no error code, then the vector
 * number, and jumps to trap_common, which saves the rest of struct trap_frame and calls
 * trap_dispatch(frame).
 */
#include <arch/segments.h>

    .altmacro

/* Vectors for which the CPU pushes an error code itself. */
.macro TRAP_STUB n
    .text
    .balign 16
trap_stub_\n:
    .if (\n == 8) || (\n == 10) || (\n == 11) || (\n == 12) || (\n == 13) || (\n == 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    .else
    pushl $0
    .endif
    pushl $\n
    jmp trap_common
    .section .rodata
    .long trap_stub_\n
.endm

    .section .rodata
    .balign 4
    .global trap_stub_table
trap_stub_table:                      /* trap_stub_table[v] = the stub of vector v, 0..47 */
    .set vector, 0
    .rept 48
    TRAP_STUB %vector
    .set vector, vector + 1
    .endr

    .text
    .global trap_common
trap_common:
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    pushal
    movw $KERNEL_DS, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    pushl %esp                        /* trap_dispatch(struct trap_frame *) */
    call trap_dispatch
    addl $4, %esp
    .global trap_return
trap_return:                          /* also where a new process starts: pops a prepared frame */
    popal
    popl %gs
    popl %fs
    popl %es
    popl %ds
    addl $8, %esp                     /* vector and error code */
    iret
