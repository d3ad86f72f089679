/*
 * _start: the first instruction of every user program.
 *
 * The kernel enters here with the System V i386 initial stack:
 *
 *     [esp]                argc
 *     [esp+4 ...]          argv[0] .. argv[argc-1], NULL
 *     then                 envp[0] .. , NULL
 *     then                 auxiliary vector: (type, value) pairs ending with AT_NULL
 *
 * It lives in .text.entry, which user/user.ld puts first in .text, so it sits at the very start
 * of the image (0x04000000) and at offset 0 of every flat binary.
 */
    .section .text.entry, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp              /* a zero frame pointer ends every backtrace here */
    movl (%esp), %eax            /* argc */
    leal 4(%esp), %ecx           /* argv */
    leal 8(%esp,%eax,4), %edx    /* envp = argv + argc + 1 */
    andl $-16, %esp              /* the i386 ABI wants 16-byte alignment at each call */
    subl $4, %esp                /* 4 + three pushed arguments = 16 */
    pushl %edx
    pushl %ecx
    pushl %eax
    call __libsys_start          /* never returns: it ends with exit() */
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
