/*
 * The instructions that touch user memory. Each may fault; every such instruction has an entry
 * (faulting eip, fix-up eip) in the section __ex_table. A page fault in kernel mode at one of
 * them goes through the ordinary fault path first (stack growth, copy-on-write, demand-zero:
 * see extable.c); when that cannot map the page, the CPU resumes at the fix-up, which returns
 * the error to the C caller. The C side (kernel/uaccess.c) has already checked that the range
 * lies below KERNBASE, so a fault here is always about a user page.
 */

/* EX_ENTRY faulting_label, fixup_label */
.macro EX_ENTRY from, to
    .pushsection __ex_table, "a"
    .balign 4
    .long \from, \to
    .popsection
.endm

.text

/*
 * uint32_t arch_user_copy(void *dst, const void *src, uint32_t n)
 * Copies n bytes, four at a time then one at a time. Returns the number of bytes NOT copied
 * (0 on success).
 */
.globl arch_user_copy
.type arch_user_copy, @function
arch_user_copy:
    push %esi
    push %edi
    mov 12(%esp), %edi
    mov 16(%esp), %esi
    mov 20(%esp), %ecx
    mov %ecx, %edx
    shr $2, %ecx
    and $3, %edx
    cld
1:  rep movsl
    mov %edx, %ecx
2:  rep movsb
    xor %eax, %eax
    pop %edi
    pop %esi
    ret
3:  lea (%edx,%ecx,4), %eax     /* fault in the dwords: ecx dwords and edx bytes are left */
    pop %edi
    pop %esi
    ret
4:  mov %ecx, %eax              /* fault in the tail bytes */
    pop %edi
    pop %esi
    ret
    EX_ENTRY 1b, 3b
    EX_ENTRY 2b, 4b
.size arch_user_copy, . - arch_user_copy

/*
 * int32_t arch_user_copy_string(char *dst, const char *src, uint32_t max)
 * Copies bytes up to and including the first NUL, at most max of them. Returns how many bytes
 * it copied before the NUL (the string's length) when it found one, max when it did not, and
 * -1 when a byte could not be read.
 */
.globl arch_user_copy_string
.type arch_user_copy_string, @function
arch_user_copy_string:
    push %esi
    push %edi
    mov 12(%esp), %edi
    mov 16(%esp), %esi
    mov 20(%esp), %ecx
    xor %edx, %edx              /* bytes copied */
5:  cmp %ecx, %edx
    je 7f
6:  movb (%esi,%edx), %al
    movb %al, (%edi,%edx)
    test %al, %al
    jz 7f
    inc %edx
    jmp 5b
7:  mov %edx, %eax
    pop %edi
    pop %esi
    ret
8:  mov $-1, %eax
    pop %edi
    pop %esi
    ret
    EX_ENTRY 6b, 8b
.size arch_user_copy_string, . - arch_user_copy_string

/*
 * int arch_user_touch_write(uint32_t address)
 * Makes the page holding address present and writable the way a user write would (one locked
 * read-modify-write that changes nothing). Returns 0, or -1 when the fault path refused.
 */
.globl arch_user_touch_write
.type arch_user_touch_write, @function
arch_user_touch_write:
    mov 4(%esp), %edx
9:  lock orb $0, (%edx)
    xor %eax, %eax
    ret
10: mov $-1, %eax
    ret
    EX_ENTRY 9b, 10b
.size arch_user_touch_write, . - arch_user_touch_write
