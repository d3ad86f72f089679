/*
 * Interrupt and exception entry. One small stub per vector, generated below by a macro (not
 * written out 48 times): it pushes a zero when the CPU pushes no error code, then the vector
 * number, and jumps to trap_common, which saves the rest of struct trap_frame and calls
 * trap_dispatch(frame).
 */
#include <arch/segments.h>
#include <arch/trapframe.h>
#include <abi/syscall_numbers.h>

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
trap_stub_table:                      /* trap_stub_table[v] = the stub of vector v */
    .set vector, 0
    .rept VECTOR_COUNT_STUBS
    TRAP_STUB %vector
    .set vector, vector + 1
    .endr

    .text
    .global trap_common
trap_common:
    cld                               /* the C ABI wants the direction flag clear */
    incl %ss:event_counters + COUNTERS_KERNEL_ENTRIES /* %ds may still be the user's */
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    pushal
    movw $KERNEL_DS, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %gs
    movw $PERCPU_SEL, %ax             /* this CPU's struct cpu (arch/percpu.h) */
    movw %ax, %fs
    pushl %esp                        /* trap_dispatch(struct trap_frame *) */
    call trap_dispatch
    addl $4, %esp
    .global trap_return
trap_return:                          /* also where a new process starts: pops a prepared frame */
    cmpb $0, big_lock_active          /* back to user mode: let the big lock go (big_lock.h) */
    je 9f
    testb $3, TF_CS(%esp)
    jz 9f
    call big_lock_leave
9:  popal
    .global trap_return_segments
trap_return_segments:                 /* a selector that became invalid faults here: extable.c */
    popl %gs
    popl %fs
    popl %es
    popl %ds
    .global trap_return_segments_end
trap_return_segments_end:
    addl $(TF_EIP - TF_VECTOR), %esp  /* vector and error code */
    .global trap_return_iret
trap_return_iret:                     /* a user SS the program made invalid faults here */
    iret

/*
 * System calls: int 0x80 from ring 3 (the only DPL-3 gate). The frame is the same struct
 * trap_frame, but the dispatch is direct: the six argument registers are pushed as C arguments
 * and the handler from syscall_table is called (Linux i386 does the same). An unknown number
 * returns -ENOSYS without calling anything.
 */
#define ENOSYS 38
    .text
    .global syscall_entry
syscall_entry:
    cld                               /* the C ABI wants the direction flag clear */
    incl %ss:event_counters + COUNTERS_KERNEL_ENTRIES /* %ds may still be the user's */
    pushl %eax                        /* the error-code slot keeps the call's number (Linux's
                                         orig_eax), so a call a signal interrupted can restart */
    pushl $VECTOR_SYSCALL
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    pushal
    movw $KERNEL_DS, %dx
    movw %dx, %ds
    movw %dx, %es
    movw $PERCPU_SEL, %dx             /* this CPU's struct cpu (arch/percpu.h) */
    movw %dx, %fs
    cmpb $0, big_lock_active          /* more than one CPU: take the big lock (big_lock.h) */
    jne 7f
8:  cmpb $0, trace_enabled            /* trace=1: record the call (kernel/trace.c) */
    jne 4f
3:  cmpl $SYSCALL_TABLE_SIZE, %eax
    jae 1f
    movl syscall_table(, %eax, 4), %eax
    testl %eax, %eax
    jz 1f
    pushl TF_EBP(%esp)                /* ebp: the sixth argument */
    pushl (TF_EDI + 4)(%esp)          /* edi: each push moves the frame 4 bytes further up */
    pushl (TF_ESI + 8)(%esp)          /* esi */
    pushl (TF_EDX + 12)(%esp)         /* edx */
    pushl (TF_ECX + 16)(%esp)         /* ecx */
    pushl (TF_EBX + 20)(%esp)         /* ebx: the first argument */
    call *%eax
    addl $24, %esp
    movl %eax, TF_EAX(%esp)           /* the result goes back in the frame's eax */
    cmpb $0, trace_enabled
    jne 5f
2:  /* On the way out, nothing is usually due: no preemption, no signal pending, no mask to
       restore, no stop. Tested here, so a plain call returns without a C call; otherwise
       proc_returning_to_user decides (the same tests, then the work). %eax is free: the
       result is in the frame. */
    cmpb $0, %fs:CPU_PREEMPTION_REQUESTED /* this CPU's (kernel/cpu.h) */
    jne 6f
    movl %fs:CPU_PROC, %eax           /* current */
    movl PROC_SIGNALS_PENDING(%eax), %ecx
    orl (PROC_SIGNALS_PENDING + 4)(%eax), %ecx
    jnz 6f
    cmpb $0, PROC_SIGNALS_RESTORE_SAVED(%eax)
    jne 6f
    cmpb $0, PROC_SIGNALS_STOP_PENDING(%eax)
    jne 6f
    jmp trap_return
6:  call proc_returning_to_user       /* signals (and a preemption that is due) */
    jmp trap_return
4:  pushl %eax                        /* trace_syscall_enter(number); the arguments are */
    call trace_syscall_enter          /* read from the saved frame, so ecx and edx may go */
    popl %eax
    jmp 3b
5:  pushl %eax
    call trace_syscall_exit
    addl $4, %esp
    jmp 2b
7:  pushl %eax                        /* the call's number */
    call big_lock_enter
    popl %eax
    jmp 8b
1:  movl $-ENOSYS, TF_EAX(%esp)
    pushl TF_ERROR_CODE(%esp)         /* the number (orig_eax in the error-code slot) */
    call syscall_unknown              /* says so when the command line asks (syscalls=trace) */
    addl $4, %esp
    jmp 2b
