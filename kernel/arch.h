#pragma once
/*
 * What generic kernel code may ask of the architecture. Implemented under kernel/arch/x86/;
 * nothing outside arch/ names an x86 register, port or instruction.
 */
#include <stdbool.h>
#include <stdint.h>

struct boot_info;

/* Sets up the serial port so arch_console_write() works; the screen comes later. */
void arch_console_init(void);

/*
 * Adds the screen the boot information describes to the consoles: a text console drawn into
 * its framebuffer (mapped here, so call it before vm_init), or VGA text when it says EGA text or
 * says nothing at all on a BIOS machine. Serial stays alone on a UEFI machine without a
 * framebuffer, or with one the kernel cannot draw into.
 */
void arch_console_screen_init(const struct boot_info *info);

/* Prints which consoles are in use and, for a framebuffer, its geometry. */
void arch_console_print_screen(const struct boot_info *info);

/* Writes len bytes to every console (serial and screen). "\n" becomes a new line on both. */
void arch_console_write(const char *text, uint32_t len);

/*
 * The registers at a moment in time, for panic reports: the layout is the architecture's own
 * (<arch/registers.h>); generic code only captures, prints and asks for the frame pointer.
 */
struct arch_registers;

/* Fills regs with the caller's registers (pc and sp as they were at the call). */
void arch_capture_registers(struct arch_registers *regs);

/* Prints regs on the consoles, four to a line. */
void arch_print_registers(const struct arch_registers *regs);

/* The frame pointer in regs: where arch_print_backtrace starts its chain. */
uintptr_t arch_registers_frame_pointer(const struct arch_registers *regs);

/*
 * Prints a backtrace: first pc (when not 0: where a trap happened), then the chain of return
 * addresses found by following frame pointers from fp, newest call first.
 */
void arch_print_backtrace(uintptr_t pc, uintptr_t fp);

/* How the machine stops; QEMU turns each into its exit status (see tools/ringlet/qemu.py). */
enum arch_stop_reason {
    STOP_POWER_OFF = 0,      /* everything went as planned */
    STOP_PANIC = 1,          /* the kernel hit a bug */
    STOP_PROCESS_FAILED = 2, /* init=none: a process exited with a non-zero status */
};

/* Stops the machine: powers it off in QEMU, otherwise halts with interrupts off. */
_Noreturn void arch_stop(enum arch_stop_reason reason);

/* Loads the kernel's GDT, TSS and IDT; remaps and masks the interrupt controllers. */
void arch_traps_init(void);

/*
 * The CPU's time-stamp counter. Under QEMU's -icount shift=0,sleep=off it counts guest
 * instructions exactly, which is what the benchmarks report.
 */
uint64_t arch_cycle_counter(void);

/* What the CPU says it is (cpuid), for /proc/cpuinfo. */
struct arch_cpu_id {
    char vendor[13];
    char model_name[49];
    char flags[160];
    unsigned family, model, stepping;
};
void arch_cpu_identify(struct arch_cpu_id *id);

/* A random word from the CPU (x86: RDRAND) into *out; false when the CPU has none. */
bool arch_hw_random(uint32_t *out);

/* Single-step debug exceptions taken in kernel mode since boot: each was survived by clearing
 * the trap flag (a program's TF over MOV SS before `int 0x80` can cause one on real CPUs). */
uint32_t arch_kernel_single_steps(void);

/* For the kernel tests: sets the trap flag in kernel mode and runs one more instruction, so one
 * single-step exception is taken and survived. Returns true when the trap flag is off again
 * afterwards (the handler cleared it, so no second step traps). */
bool arch_single_step_in_kernel(void);

/* The CPU's feature flags as Linux's AT_HWCAP gives them on i386 (CPUID leaf 1, EDX). */
uint32_t arch_cpu_hwcap(void);

/* ---- Processors (smp.c, cpu.c) ---- */

/* The interrupt flag, an atomic swap and the spin-loop hint are inline, in
 * <arch/irqflags.h>: spinlocks use them on every lock and unlock. */

/* Makes CPU c run fn(arg) and waits until it has (at once when c is this CPU): an
 * inter-processor interrupt, or c's own spin loop, runs it. fn must be short and take no lock.
 * c must be online. Callers hold the big kernel lock, or run before arch_cpus_go (one caller
 * at a time). */
struct cpu;
void arch_cpu_call(struct cpu *c, void (*fn)(void *), void *arg);

/* Makes the call another CPU asked of this one, if any (arch_cpu_call). For spin loops that wait
 * with interrupts off, where the inter-processor interrupt cannot get in. */
void arch_cpu_answer_calls(void);

/* Reads ACPI's MADT and prints the CPUs it lists (the boot CPU alone when there is none);
 * maps the local APIC. Call before vm_init (the device window). */
void arch_cpus_find(const struct boot_info *info);

/* Starts the other CPUs the MADT lists, up to max CPUs in all (0: as many as CPU_MAX), and
 * waits until each is online; cpu_count says how many run then. They wait for arch_cpus_go()
 * before they schedule. Call after vm_init. */
void arch_cpus_start(unsigned max);

/* Lets the other CPUs (started at boot, waiting) into the scheduler. */
void arch_cpus_go(void);

/* Tells idle CPUs that a process became runnable (they leave hlt and look). */
void arch_cpus_wake_idle(void);

/* ---- Processes ---- */

/*
 * Prepares the kernel stack that ends at kstack_top so that switching to it (arch_switch) enters
 * ring 3 at entry with the user stack pointer user_esp and interrupts on. Returns the saved
 * context to give arch_switch.
 */
uint32_t arch_prepare_user_entry(uint32_t kstack_top, uint32_t entry, uint32_t user_esp);

/* Saves the current kernel context in *save and continues the one saved in next. */
void arch_switch(uint32_t *save, uint32_t next);

/* The kernel stack the CPU switches to when the running process traps. */
void arch_set_kernel_stack(uint32_t top);

/* Waits, with interrupts on, until the next interrupt. */
void arch_idle(void);

/* An exception in user mode, decoded for the generic kernel. */
struct user_fault {
    const char *what; /* "page fault", "general protection fault", ... */
    int signal;       /* what the process dies of: 11 SIGSEGV, 4 SIGILL, 8 SIGFPE */
    uint32_t pc;      /* where it happened */
    uint32_t sp;      /* the user stack pointer then */
    uint32_t error_code;
    int is_page_fault;
    uint32_t address; /* page faults: the address touched */
    int write;        /* page faults: it was a write */
    int present;      /* page faults: the page was present (a protection violation) */
};

/* The user stack pointer saved when the process whose kernel stack ends at kstack_top entered
 * the kernel. */
uint32_t arch_user_stack_pointer(uint32_t kstack_top);

/*
 * The user copies (usercopy.S). The caller has checked that the user range lies below
 * KERNBASE; a page the fault path cannot map makes them stop early:
 * arch_user_copy returns the number of bytes it did NOT copy (0 on success);
 * arch_user_copy_string copies up to and including a NUL, at most max bytes, and returns the
 * string's length, max when no NUL came, or -1 on a fault;
 * arch_user_touch_write makes the page at address present and writable as a user write would,
 * changing no byte, and returns 0 or -1.
 */
uint32_t arch_user_copy(void *dst, const void *src, uint32_t n);
int32_t arch_user_copy_string(char *dst, const char *src, uint32_t max);
int arch_user_touch_write(uint32_t address);

/* ---- Time, input, floating point ---- */

/* Whether the interrupt whose handler is running came while the CPU ran user code (the timer
 * charges the tick to user or system time by it). False outside interrupt handlers. */
bool arch_irq_from_user(void);

/* Starts the timer interrupt at hz; each tick calls clock_on_tick() (kernel/clock.c). */
void arch_timer_start(unsigned hz);

/* Turns on serial (IRQ 4) and PS/2 keyboard (IRQ 1) input; each character goes to tty_receive(). */
void arch_console_input_start(void);

/* Seconds since 1970 read from the CMOS real-time clock. */
uint32_t arch_rtc_seconds(void);

/* Size and alignment of one process's floating-point/SSE state (FXSAVE's area). */
#define ARCH_FPU_STATE_SIZE  512
#define ARCH_FPU_STATE_ALIGN 16

/* Turns on the FPU and SSE for user programs and records the clean state new processes get. */
void arch_fpu_init(void);
void arch_fpu_clean_state(void *area);
void arch_fpu_save(void *area);
void arch_fpu_restore(const void *area);

/*
 * A process's thread-local-storage segments (on x86, the GDT descriptors set_thread_area
 * fills; all zero: none). Generic code only copies it (fork), clears it (exec) and loads the
 * running process's (every switch).
 */
struct arch_tls {
    uint64_t descriptors[3];
};

/* Makes tls the running process's thread-local storage. */
void arch_tls_load(const struct arch_tls *tls);

/* Masks the MXCSR in an FXSAVE area to the bits this CPU has, so FXRSTOR of a state a program
 * supplied (sigreturn) cannot fault. */
void arch_fpu_sanitize(void *area);

struct kernel_sigaction;
struct signal_info;
struct signal_stack;

/*
 * Sets up the current process to run the handler of sig (action ka) on its way back to user
 * mode: writes Linux's signal frame (the interrupted registers, FPU state, the mask blocked to
 * give back, and info) on its user stack — or at the top of the alternate stack alt, for an
 * SA_ONSTACK action when not already on it — and points it at the handler. Returns 0, or -EFAULT
 * when the stack cannot take the frame.
 */
int arch_signal_frame(int sig, const struct kernel_sigaction *ka, uint64_t blocked,
                      const struct signal_info *info, const struct signal_stack *alt);

/* Writes Linux's siginfo_t (128 bytes) for signal sig with info at user address uaddr
 * (rt_sigtimedwait). Returns 0 or -EFAULT. */
int arch_siginfo_to_user(uint32_t uaddr, int sig, const struct signal_info *info);

/* Reads a siginfo_t a program gives (rt_sigqueueinfo): its code, pid and value (kept in
 * info->status, where SIGCHLD's status also lies). Returns 0 or -EFAULT. */
int arch_siginfo_from_user(uint32_t uaddr, struct signal_info *info);

/*
 * If the current process is returning from a system call that a signal interrupted
 * (-ERESTARTSYS): makes it -EINTR when a handler runs without restart, otherwise arranges for
 * the call to run again. Does nothing otherwise.
 */
void arch_syscall_interrupted(bool handler_runs, bool restart);

/* Prepares the child's kernel stack so that it returns from the parent's current system call
 * with result 0. Returns the context to give arch_switch. */
uint32_t arch_prepare_fork(uint32_t parent_kstack_top, uint32_t child_kstack_top);

/* Makes the saved user stack pointer of the process whose kernel stack ends at kstack_top esp
 * (clone's new stack for the child). */
void arch_set_user_stack(uint32_t kstack_top, uint32_t esp);

/*
 * Applies the struct user_desc at user address user_info to tls, as clone's CLONE_SETTLS does:
 * the entry must be named (6..8; -1 is -EINVAL here). Returns 0, -EFAULT or -EINVAL.
 */
long arch_tls_from_user(struct arch_tls *tls, uint32_t user_info);

/*
 * IPC (ipc.c): makes the current system call of the process whose kernel stack ends at
 * kstack_top return a message in registers: on x86 ebx = label, edx, esi, edi = the three
 * words, ecx = len, ebp = cap (abi/ipc.h); eax stays the call's result.
 */
void arch_ipc_set_outputs(uint32_t kstack_top, uint32_t label, const uint32_t words[3],
                          uint32_t len, uint32_t cap);

/* Makes a restart of the current system call (after a signal, -ERESTARTSYS) run call number
 * instead: reply_recv restarts as recv once its reply has gone. */
void arch_syscall_restart_as(uint32_t kstack_top, uint32_t number);

/* Rewrites the current process's saved user registers to start over at entry with stack esp. */
void arch_restart_user(uint32_t kstack_top, uint32_t entry, uint32_t esp);

/* Fills the 4 KiB page at page with zeros, and copies one page: the string instructions the
 * CPU has for exactly this (rep stos, rep movs), which the C loops in lib/string.c avoid. */
void arch_page_zero(void *page);
void arch_page_copy(void *dst, const void *src);

/*
 * ---- Calls up from arch/ into the generic kernel ----
 * Every function the architecture code calls back into, as opposed to the services (kprintf,
 * frame_alloc, vma_*, ...) it uses like any other kernel code. Each is implemented in the file
 * named and called only from kernel/arch/. syscall_table (syscall.h) is the one table read.
 */

/* main.c, called by boot.S once paging and the kernel stack are up. Never returns. */
void kmain(uint32_t boot_magic, uint32_t boot_info_phys);

/*
 * fault.c, called for every exception in user mode. It returns when the fault was resolved
 * (stack growth, copy-on-write, demand-zero) and the process goes on, or when the program's
 * handler for the signal will run; otherwise it kills the process and never returns.
 */
void proc_user_fault(const struct user_fault *fault);

/*
 * fault.c: a user copy inside a system call faulted on the user page at address. Returns 0
 * when the page is now mapped (the copy goes on), or -EFAULT when it cannot be (the copy fails
 * with -EFAULT); never kills the process.
 */
int proc_copy_fault(uint32_t address, bool write, bool present);

/* proc.c: called before an interrupt or system call returns to user mode (the place where the
 * timer preempts a process and a killed process dies). The system-call path calls it only when
 * this CPU's preemption_requested (struct cpu) or one of current's signal fields it tests says
 * there may be work. */
void proc_returning_to_user(void);

/* proc.c: called on the way into a process that has not run yet. */
void proc_first_run(void);

/* proc.c: called by the system-call entry for a number with no handler; reports it when the
 * command line has syscalls=unknown (the call itself returns -ENOSYS either way). */
void syscall_unknown(uint32_t number);

/* clock.c, the timer interrupt: counts, wakes sleepers whose time has come, asks for
 * preemption. */
void clock_on_tick(void);

/* tty.c: a character arrived (from an interrupt handler). */
void tty_receive(char c);

/* trace.c: the interrupt path's IRQ line, and the system-call entry's number and result, each
 * called only when trace_enabled. */
void trace_irq(unsigned irq);
void trace_syscall_enter(uint32_t number);
void trace_syscall_exit(uint32_t result);
