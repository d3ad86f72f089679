/*
 * long syscall_raw(long n, long a, long b, long c, long d, long e, long f)
 *
 * Traps with number n and up to six arguments in ebx, ecx, edx, esi, edi and ebp, and returns
 * eax as the kernel left it (-errno on failure). Written in assembly because all six argument
 * registers, the frame pointer ebp among them, must be loaded at once; ebx, esi, edi and ebp are
 * callee-saved, so they are restored before returning.
 */
    .text
    .globl syscall_raw
    .type syscall_raw, @function
syscall_raw:
    pushl %ebp
    pushl %edi
    pushl %esi
    pushl %ebx
    movl 20(%esp), %eax          /* n: 4 saved registers + return address = 20 */
    movl 24(%esp), %ebx
    movl 28(%esp), %ecx
    movl 32(%esp), %edx
    movl 36(%esp), %esi
    movl 40(%esp), %edi
    movl 44(%esp), %ebp
    int $0x80
    popl %ebx
    popl %esi
    popl %edi
    popl %ebp
    ret
    .size syscall_raw, . - syscall_raw

    .section .note.GNU-stack, "", @progbits
