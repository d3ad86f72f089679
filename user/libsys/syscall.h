#pragma once
/*
 * Trapping into the kernel: int 0x80 with the Linux i386 convention. The number goes in eax,
 * arguments in ebx, ecx, edx, esi, edi, ebp; the result comes back in eax, -errno on failure.
 * The __syscallN functions return the raw result; __syscall_result turns -errno into -1 and errno.
 */
#include <sys/cdefs.h>
#include <abi/syscall_numbers.h>

static inline long __syscall0(long n)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n) : "memory");
    return r;
}

static inline long __syscall1(long n, long a)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a) : "memory");
    return r;
}

static inline long __syscall2(long n, long a, long b)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b) : "memory");
    return r;
}

static inline long __syscall3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
    return r;
}

static inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
    long r;
    __asm__ volatile("int $0x80"
                     : "=a"(r)
                     : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory");
    return r;
}

/*
 * ebp is the frame pointer, so the sixth argument is swapped in and out around the trap. f is
 * pushed first, while every operand address (possibly esp-relative) is still valid, and ebp is
 * loaded from that copy (musl does the same).
 */
static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    long r;
    __asm__ volatile("pushl %7\n\t"
                     "pushl %%ebp\n\t"
                     "movl 4(%%esp), %%ebp\n\t"
                     "int $0x80\n\t"
                     "popl %%ebp\n\t"
                     "addl $4, %%esp"
                     : "=a"(r)
                     : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "g"(f)
                     : "memory");
    return r;
}

__BEGIN_DECLS

extern int errno;

/* -4095..-1 are errors: errno = -r and the result is -1. Anything else is the result itself. */
static inline long __syscall_result(long r)
{
    if ((unsigned long)r > (unsigned long)-4096) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

/* Any system call with raw results (-errno), for programs that test the kernel's answers. */
long syscall_raw(long n, long a, long b, long c, long d, long e, long f);

__END_DECLS
