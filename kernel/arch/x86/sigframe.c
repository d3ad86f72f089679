/*
 * Signal frames, byte for byte as Linux lays them out for i386 programs, and the two ways back
 * from a handler (sigreturn for the old frame, rt_sigreturn for the SA_SIGINFO one).
 *
 * Below the interrupted stack pointer the kernel writes the FPU/SSE state, then the frame:
 *
 *   rt frame (SA_SIGINFO)               old frame
 *   0   return address (restorer)       0   return address (restorer)
 *   4   sig                             4   sig
 *   8   &info                           8   struct sigcontext (88 bytes)
 *   12  &uc                             96  unused legacy FPU area (624 bytes)
 *   16  siginfo (128 bytes)             720 the high half of the old mask
 *   144 ucontext: flags, link, stack,   724 return code (8 bytes)
 *       sigcontext, mask (116 bytes)
 *   260 return code (8 bytes)
 *
 * The handler is entered with the stack pointer at the frame, as if called, so its `ret` goes
 * to the return address: the libc's restorer (SA_RESTORER) or, without one, the return code in
 * the frame itself (`mov $173, %eax; int $0x80`), which is what Linux did before the vDSO.
 * sigreturn trusts nothing it reads back: the code and stack segments are Ringlet's user ones
 * whatever the frame says, only the flags a program may change are taken (never IOPL or IF), a
 * data segment that cannot be loaded becomes the null selector on the way out (extable.c), and
 * the FPU state's MXCSR is masked to what the CPU has.
 */
#include <arch.h>
#include <lib/string.h>
#include <proc.h>
#include <signal.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/errno.h>

#include <arch/segments.h>
#include <arch/trapframe.h>

#include <stddef.h>

struct sigcontext32 {
    uint16_t gs, gsh, fs, fsh, es, esh, ds, dsh;
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
    uint32_t trapno, err, eip;
    uint16_t cs, csh;
    uint32_t eflags, esp_at_signal;
    uint16_t ss, ssh;
    uint32_t fpstate, oldmask, cr2;
};
_Static_assert(sizeof(struct sigcontext32) == 88, "struct sigcontext is 88 bytes on i386");
_Static_assert(offsetof(struct sigcontext32, eip) == 56, "sigcontext layout");

struct siginfo32 {
    int32_t signo;
    int32_t error;
    int32_t code;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status; /* SIGCHLD */
        } proc;
        uint32_t addr; /* faults */
        uint8_t pad[116];
    } fields;
};
_Static_assert(sizeof(struct siginfo32) == 128, "siginfo_t is 128 bytes");

struct ucontext32 {
    uint32_t flags;
    uint32_t link;
    uint32_t stack_sp;
    int32_t stack_flags;
    uint32_t stack_size;
    struct sigcontext32 mcontext;
    uint64_t sigmask;
};
_Static_assert(sizeof(struct ucontext32) == 116, "struct ucontext is 116 bytes on i386");

struct rt_sigframe32 {
    uint32_t pretcode;
    int32_t sig;
    uint32_t pinfo;
    uint32_t puc;
    struct siginfo32 info;
    struct ucontext32 uc;
    uint8_t retcode[8];
};
_Static_assert(offsetof(struct rt_sigframe32, uc) == 144, "rt frame layout");

#define LEGACY_FPU_SIZE 112 /* the FSAVE-format header before the FXSAVE image */
#define FPSTATE_SIZE    (LEGACY_FPU_SIZE + ARCH_FPU_STATE_SIZE)

struct sigframe32 {
    uint32_t pretcode;
    int32_t sig;
    struct sigcontext32 sc;
    uint8_t fpstate_unused[624];
    uint32_t extramask;
    uint8_t retcode[8];
};
_Static_assert(offsetof(struct sigframe32, extramask) == 720, "old frame layout");

#define SYS_SIGRETURN          119
#define SYS_RT_SIGRETURN       173
#define EFLAGS_USER_CHANGEABLE 0x00050dd5u /* CF PF AF ZF SF TF DF OF RF AC: Linux's FIX_EFLAGS */
#define EFLAGS_CLEARED_FOR_HANDLER 0x00010500u /* TF DF RF */

/* An FXSAVE area on the kernel stack, which is only 4-byte aligned (the CPU pushes the trap
 * frame wherever the stack was): 15 spare bytes, and the 16-byte boundary found by hand. */
#define FX_AREA(name)                                                                              \
    uint8_t name##_raw[ARCH_FPU_STATE_SIZE + 15];                                                  \
    uint8_t *name = (uint8_t *)(((uintptr_t)name##_raw + 15) & ~(uintptr_t)15)

static struct trap_frame *user_frame(void)
{
    return (struct trap_frame *)(uintptr_t)(current->kstack_top - sizeof(struct trap_frame));
}

void arch_syscall_interrupted(bool handler_runs, bool restart)
{
    struct trap_frame *tf = user_frame();
    if (tf->vector != 0x80 || (int32_t)tf->error_code < 0 || tf->eax != (uint32_t)-ERESTARTSYS) {
        return; /* not a system call, or it was not interrupted */
    }
    if (handler_runs && !restart) {
        tf->eax = (uint32_t)-EINTR;
        return;
    }
    tf->eax = tf->error_code; /* the call's number (orig_eax): `int $0x80` runs again */
    tf->eip -= 2;
}

static void fill_sigcontext(struct sigcontext32 *sc, const struct trap_frame *tf, uint32_t fpstate,
                            uint64_t blocked, const struct signal_info *info)
{
    *sc = (struct sigcontext32){
        .gs = (uint16_t)tf->gs,
        .fs = (uint16_t)tf->fs,
        .es = (uint16_t)tf->es,
        .ds = (uint16_t)tf->ds,
        .edi = tf->edi,
        .esi = tf->esi,
        .ebp = tf->ebp,
        .esp = tf->user_esp,
        .ebx = tf->ebx,
        .edx = tf->edx,
        .ecx = tf->ecx,
        .eax = tf->eax,
        .trapno = tf->vector,
        .err = tf->vector == 0x80 ? 0 : tf->error_code,
        .eip = tf->eip,
        .cs = (uint16_t)tf->cs,
        .eflags = tf->eflags,
        .esp_at_signal = tf->user_esp,
        .ss = (uint16_t)tf->user_ss,
        .fpstate = fpstate,
        .oldmask = (uint32_t)blocked,
        .cr2 = info->addr,
    };
}

static void fill_siginfo(struct siginfo32 *si, int sig, const struct signal_info *info)
{
    memset(si, 0, sizeof(*si));
    si->signo = sig;
    si->code = info->code;
    bool fault = info->code > 0 && info->code != SI_KERNEL && sig != SIGCHLD;
    if (fault) { /* a fault's address; kill() and the kernel's own signals give the sender */
        si->fields.addr = info->addr;
    } else {
        si->fields.proc.pid = info->pid;
        si->fields.proc.status = info->status;
    }
}

int arch_siginfo_to_user(uint32_t uaddr, int sig, const struct signal_info *info)
{
    struct siginfo32 si;
    fill_siginfo(&si, sig, info);
    return copy_to_user(uaddr, &si, sizeof(si)) == 0 ? 0 : -EFAULT;
}

int arch_siginfo_from_user(uint32_t uaddr, struct signal_info *info)
{
    struct siginfo32 si;
    if (copy_from_user(&si, uaddr, sizeof(si)) != 0) {
        return -EFAULT;
    }
    *info = (struct signal_info){
        .code = si.code,
        .pid = si.fields.proc.pid,
        .status = si.fields.proc.status,
    };
    return 0;
}

/* Writes the FPU state below top; returns its user address (0 on a bad stack). */
/* A little-endian field of an FXSAVE image. */
static uint32_t fx_field(const uint8_t *fx, unsigned offset, unsigned size)
{
    uint32_t v = 0;
    memcpy(&v, fx + offset, size);
    return v;
}

/*
 * The FSAVE-format header of struct _fpstate_32 (what programs read as uc_mcontext.fpregs),
 * made from the FXSAVE image as Linux does: control, status and tag words, the last
 * instruction and operand pointers, the eight 80-bit registers, and the magic 0 that says an
 * FXSAVE image follows. The tag of a register in use is "valid" (Linux tells zero and special
 * values apart; nothing reads that here).
 */
static void fsave_header(const uint8_t *fx, uint8_t legacy[LEGACY_FPU_SIZE])
{
    uint32_t words[7];
    uint32_t abridged = fx_field(fx, 4, 1);
    uint32_t tag = 0;
    for (unsigned i = 0; i < 8; i++) {
        tag |= ((abridged >> i) & 1u ? 0u : 3u) << (2 * i); /* 0 valid, 3 empty */
    }
    words[0] = fx_field(fx, 0, 2);                             /* cw */
    words[1] = fx_field(fx, 2, 2);                             /* sw */
    words[2] = tag;                                            /* tag */
    words[3] = fx_field(fx, 8, 4);                             /* ipoff */
    words[4] = fx_field(fx, 12, 2) | fx_field(fx, 6, 2) << 16; /* cssel | opcode */
    words[5] = fx_field(fx, 16, 4);                            /* dataoff */
    words[6] = fx_field(fx, 20, 2);                            /* datasel */
    memset(legacy, 0, LEGACY_FPU_SIZE);
    memcpy(legacy, words, sizeof(words));
    for (unsigned i = 0; i < 8; i++) {
        memcpy(legacy + 28 + 10 * i, fx + 32 + 16 * i, 10); /* st(i): 80 bits of each slot */
    }
    memcpy(legacy + 108, fx + 2, 2); /* status: the status word again; magic (110) 0: FXSR */
}

static uint32_t push_fpstate(uint32_t top)
{
    uint32_t at = (top - FPSTATE_SIZE) & ~63u;
    uint8_t legacy[LEGACY_FPU_SIZE];
    FX_AREA(fx);
    arch_fpu_save(fx);
    fsave_header(fx, legacy);
    if (copy_to_user(at, legacy, LEGACY_FPU_SIZE) != 0 ||
        copy_to_user(at + LEGACY_FPU_SIZE, fx, ARCH_FPU_STATE_SIZE) != 0) {
        return 0;
    }
    return at;
}

/* Where a frame of size bytes goes below top: entered as if called ((sp + 4) % 16 == 0). */
static uint32_t frame_address(uint32_t top, uint32_t size)
{
    return ((top - size + 4) & ~15u) - 4;
}

int arch_signal_frame(int sig, const struct kernel_sigaction *ka, uint64_t blocked,
                      const struct signal_info *info, const struct signal_stack *alt)
{
    struct trap_frame *tf = user_frame();
    bool on_alt = alt->ss_size != 0 && tf->user_esp - alt->ss_sp < alt->ss_size;
    uint32_t top = tf->user_esp;
    if ((ka->flags & SA_ONSTACK) && alt->ss_size != 0 && !on_alt) {
        top = alt->ss_sp + alt->ss_size; /* a stack overflow's handler needs a stack of its own */
    }
    if (top < 2048u) {
        return -EFAULT;
    }
    uint32_t fpstate = push_fpstate(top);
    if (fpstate == 0) {
        return -EFAULT;
    }
    uint32_t at;
    if (ka->flags & SA_SIGINFO) {
        struct rt_sigframe32 f;
        memset(&f, 0, sizeof(f));
        at = frame_address(fpstate, sizeof(f));
        f.sig = sig;
        f.pinfo = at + offsetof(struct rt_sigframe32, info);
        f.puc = at + offsetof(struct rt_sigframe32, uc);
        fill_siginfo(&f.info, sig, info);
        fill_sigcontext(&f.uc.mcontext, tf, fpstate, blocked, info);
        f.uc.stack_sp = alt->ss_sp;
        f.uc.stack_size = alt->ss_size;
        f.uc.stack_flags = on_alt ? SS_ONSTACK : alt->ss_size ? 0 : SS_DISABLE;
        f.uc.sigmask = blocked;
        static const uint8_t code[8] = { 0xb8, SYS_RT_SIGRETURN, 0, 0, 0, 0xcd, 0x80, 0 };
        memcpy(f.retcode, code, sizeof(code));
        f.pretcode =
            (ka->flags & SA_RESTORER) ? ka->restorer : at + offsetof(struct rt_sigframe32, retcode);
        if (copy_to_user(at, &f, sizeof(f)) != 0) {
            return -EFAULT;
        }
        tf->edx = f.pinfo; /* regparm(3) handlers find their arguments in registers too */
        tf->ecx = f.puc;
    } else {
        struct sigframe32 f;
        memset(&f, 0, sizeof(f));
        at = frame_address(fpstate, sizeof(f));
        f.sig = sig;
        fill_sigcontext(&f.sc, tf, fpstate, blocked, info);
        f.extramask = (uint32_t)(blocked >> 32);
        static const uint8_t code[8] = { 0x58, 0xb8, SYS_SIGRETURN, 0, 0, 0, 0xcd, 0x80 };
        memcpy(f.retcode, code, sizeof(code));
        f.pretcode =
            (ka->flags & SA_RESTORER) ? ka->restorer : at + offsetof(struct sigframe32, retcode);
        if (copy_to_user(at, &f, sizeof(f)) != 0) {
            return -EFAULT;
        }
        tf->edx = 0;
        tf->ecx = 0;
    }
    tf->user_esp = at;
    tf->eip = ka->handler;
    tf->eax = (uint32_t)sig;
    tf->eflags &= ~EFLAGS_CLEARED_FOR_HANDLER;
    tf->cs = USER_CS;
    tf->user_ss = USER_DS;
    tf->ds = tf->es = USER_DS;
    FX_AREA(clean);
    arch_fpu_clean_state(clean); /* the handler starts with a fresh FPU, as in Linux */
    arch_fpu_restore(clean);
    return 0;
}

/* Puts back the registers and FPU state saved in sc. 0, or -EFAULT (nothing changed). */
static int restore(const struct sigcontext32 *sc)
{
    struct trap_frame *tf = user_frame();
    FX_AREA(fx);
    if (sc->fpstate) {
        if (copy_from_user(fx, sc->fpstate + LEGACY_FPU_SIZE, ARCH_FPU_STATE_SIZE) != 0) {
            return -EFAULT;
        }
        arch_fpu_sanitize(fx);
    } else {
        arch_fpu_clean_state(fx);
    }
    arch_fpu_restore(fx);
    tf->gs = sc->gs;
    tf->fs = sc->fs;
    tf->es = sc->es;
    tf->ds = sc->ds;
    tf->edi = sc->edi;
    tf->esi = sc->esi;
    tf->ebp = sc->ebp;
    tf->ebx = sc->ebx;
    tf->edx = sc->edx;
    tf->ecx = sc->ecx;
    tf->eax = sc->eax;
    tf->eip = sc->eip;
    tf->user_esp = sc->esp;
    tf->eflags = (tf->eflags & ~EFLAGS_USER_CHANGEABLE) | (sc->eflags & EFLAGS_USER_CHANGEABLE);
    tf->cs = USER_CS;
    tf->user_ss = USER_DS;
    tf->error_code = (uint32_t)-1; /* not a system call any more: nothing to restart */
    return 0;
}

long sys_sigreturn(void)
{
    uint32_t at = user_frame()->user_esp - 8; /* the handler's ret and the restorer's pop */
    struct sigframe32 f;
    if (copy_from_user(&f, at, sizeof(f)) != 0) {
        proc_kill_current(SIGSEGV, "sigreturn: the signal frame is unreadable");
    }
    if (restore(&f.sc) != 0) {
        proc_kill_current(SIGSEGV, "sigreturn: the saved FPU state is unreadable");
    }
    signal_set_blocked((uint64_t)f.extramask << 32 | f.sc.oldmask);
    return (long)f.sc.eax; /* the system-call exit stores it in eax: it stays what it was */
}

long sys_rt_sigreturn(void)
{
    uint32_t at = user_frame()->user_esp - 4; /* the handler's ret popped the return address */
    struct rt_sigframe32 f;
    if (copy_from_user(&f, at, sizeof(f)) != 0) {
        proc_kill_current(SIGSEGV, "rt_sigreturn: the signal frame is unreadable");
    }
    if (restore(&f.uc.mcontext) != 0) {
        proc_kill_current(SIGSEGV, "rt_sigreturn: the saved FPU state is unreadable");
    }
    signal_set_blocked(f.uc.sigmask);
    return (long)f.uc.mcontext.eax;
}
