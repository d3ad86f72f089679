/*
 * arch_switch(uint32_t *save, uint32_t next): the kernel-to-kernel context switch (xv6's swtch).
 * Saves the callee-saved registers on the current stack, stores the stack pointer in *save,
 * loads next as the stack pointer and pops the registers saved there. The "return" then lands
 * wherever that stack last called arch_switch — or, for a new process, in trap_return.
 * The pushes below lay out struct switch_frame (process.c, SWITCH_FRAME_* in arch/trapframe.h):
 * change one and the _Static_asserts there say what else to change.
 */
    .text
    .global arch_switch
    .type arch_switch, @function
arch_switch:
    movl 4(%esp), %eax
    movl 8(%esp), %edx
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, (%eax)
    movl %edx, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret
    .size arch_switch, . - arch_switch

/* Where a new process's first switch lands: a word with the kernel, then off to user mode. */
    .global first_return
    .type first_return, @function
first_return:
    call proc_first_run
    jmp trap_return
    .size first_return, . - first_return
