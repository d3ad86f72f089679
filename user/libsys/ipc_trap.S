/*
 * long __ipc_trap(long number, int cap, struct ipc_msg *m, const struct ipc_ext *ext,
 *                 int store)
 *
 * The IPC calls' register convention (abi/ipc.h): the message goes in ebx (cap), ecx (label),
 * edx, esi, edi (words) and ebp (ext); when store is not 0 and the call succeeded, the message
 * that came back (label, words, long length, capability) is written over *m. Assembly because
 * all six registers go in and come out at once; ebx, esi, edi and ebp are callee-saved.
 */
    .text
    .globl __ipc_trap
    .type __ipc_trap, @function
__ipc_trap:
    pushl %ebp
    pushl %edi
    pushl %esi
    pushl %ebx
    movl 28(%esp), %eax          /* m: 4 saved registers + return address + 2 arguments */
    movl 0(%eax), %ecx           /* label */
    movl 4(%eax), %edx           /* words */
    movl 8(%eax), %esi
    movl 12(%eax), %edi
    movl 24(%esp), %ebx          /* cap */
    movl 32(%esp), %ebp          /* ext */
    movl 20(%esp), %eax          /* number */
    int $0x80
    cmpl $0, 36(%esp)            /* store? */
    je 1f
    testl %eax, %eax
    js 1f                        /* an error leaves *m as it was */
    pushl %eax
    movl 32(%esp), %eax          /* m, one push further up */
    movl %ebx, 0(%eax)
    movl %edx, 4(%eax)
    movl %esi, 8(%eax)
    movl %edi, 12(%eax)
    movl %ecx, 16(%eax)
    movl %ebp, 20(%eax)
    popl %eax
1:  popl %ebx
    popl %esi
    popl %edi
    popl %ebp
    ret
    .size __ipc_trap, . - __ipc_trap

    .section .note.GNU-stack, "", @progbits
