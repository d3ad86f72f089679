/*
 * The process table: creating a process from a program file, ending one, and deciding what a
 * fault in user mode means (grow the stack, copy a shared page, or kill the process).
 */
#include <proc.h>

#include <arch.h>
#include <errno.h>
#include <kprintf.h>
#include <lib/string.h>
#include <lib/text.h>
#include <frames.h>
#include <loader.h>

#include <arch/memlayout.h>

#define DEFAULT_USTACK_LIMIT (1024u * 1024u)
#define STACK_REACH_BELOW_ESP (65536u + 256u) /* like Linux: enter/push-all can reach this far */
#define MAX_RECORDS 128

struct proc *current;
static struct proc procs[PROC_MAX];
static int next_pid = 1;
static uint32_t ustack_limit = DEFAULT_USTACK_LIMIT;
static struct proc_record records[MAX_RECORDS];
static unsigned record_count;
static unsigned processes_ended;

/* "1M", "512K" or a number of bytes; 0 when it is none of these. */
static uint32_t parse_size(const char *text)
{
    uint32_t value = 0;
    const char *p = text;
    for (; *p >= '0' && *p <= '9'; p++) {
        value = value * 10 + (uint32_t)(*p - '0');
    }
    if (*p == 'K' || *p == 'k') {
        value *= 1024;
        p++;
    } else if (*p == 'M' || *p == 'm') {
        value *= 1024 * 1024;
        p++;
    }
    return *p == '\0' ? value : 0;
}

void proc_init(const char *cmdline)
{
    char value[16];
    if (cmdline_get(cmdline, "ustack", value, sizeof(value))) {
        uint32_t limit = parse_size(value);
        if (limit < PAGE_SIZE || limit > 256u * 1024 * 1024) {
            kprintf("proc: ustack=%s is not a size from 4K to 256M; keeping %u KiB\n", value,
                    ustack_limit / 1024);
        } else {
            ustack_limit = (limit + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        }
    }
    arch_processes_init();
}

unsigned proc_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        n += procs[i].state != PROC_FREE;
    }
    return n;
}

static void fail(char *error, uint32_t error_size, const char *reason)
{
    strlcpy(error, reason, error_size);
}

int proc_create(const char *name, const uint8_t *data, uint32_t size, bool flat,
                uint32_t flat_phys, const char *const *argv, int argc, char *error,
                uint32_t error_size)
{
    struct proc *p = NULL;
    for (unsigned i = 0; i < PROC_MAX && !p; i++) {
        if (procs[i].state == PROC_FREE) {
            p = &procs[i];
        }
    }
    if (p == NULL) {
        fail(error, error_size, "the process table is full");
        return -1;
    }
    unsigned slot = (unsigned)(p - procs);
    memset(p, 0, sizeof(*p));
    if (vm_create(&p->space) != 0) {
        fail(error, error_size, "out of memory");
        return -1;
    }
    struct loaded_program program;
    int err = flat ? load_flat(&p->space, data, size, flat_phys, &program)
                   : load_elf(&p->space, data, size, &program, error, error_size);
    uint32_t esp = 0;
    if (err == 0) {
        err = load_user_stack(&p->space, USER_STACK_TOP, argv, argc, NULL, 0, &program, &esp);
    }
    if (err == 0 && (p->kstack_top = vm_kernel_stack_create(slot)) == 0) {
        err = -ENOMEM;
    }
    if (err != 0) {
        if (err == -ENOMEM) {
            fail(error, error_size, "out of memory");
        } else if (err == -E2BIG) {
            fail(error, error_size, "arguments do not fit the first stack page");
        }
        vm_destroy(&p->space);
        return -1;
    }
    p->context = arch_prepare_user_entry(p->kstack_top, program.entry, esp);
    p->brk_start = p->brk = (program.end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    p->stack_limit = USER_STACK_TOP - ustack_limit;
    for (int fd = 0; fd < 3; fd++) {
        p->fd_open[fd] = true;
    }
    strlcpy(p->name, name, sizeof(p->name));
    p->pid = next_pid++;
    p->parent_pid = current ? current->pid : 0;
    sched_make_runnable(p);
    return p->pid;
}

/* Leaves the CPU for good: frees the address space, becomes a zombie for the scheduler. */
static _Noreturn void finish(struct proc *p)
{
    vm_destroy(&p->space); /* also switches to the kernel's page directory */
    if (record_count < MAX_RECORDS) {
        struct proc_record *r = &records[record_count++];
        r->pid = p->pid;
        strlcpy(r->name, p->name, sizeof(r->name));
        r->exit_status = p->exit_status;
        r->killed_by = p->killed_by;
    }
    processes_ended++;
    p->state = PROC_ZOMBIE;
    sched_leave_cpu(p);
}

_Noreturn void proc_exit(int status)
{
    current->exit_status = status & 0xff;
    finish(current);
}

_Noreturn void proc_kill_current(int signal, const char *why)
{
    kprintf("pid %d (%s) killed: %s\n", current->pid, current->name, why);
    current->killed_by = signal;
    finish(current);
}

void proc_reap(struct proc *p)
{
    vm_kernel_stack_destroy((unsigned)(p - procs));
    memset(p, 0, sizeof(*p));
}

static bool grows_stack(const struct proc *p, const struct user_fault *f)
{
    return f->is_page_fault && !f->present && f->address >= p->stack_limit &&
           f->address < USER_STACK_TOP && f->address + STACK_REACH_BELOW_ESP >= f->esp;
}

void proc_user_fault(const struct user_fault *f)
{
    struct proc *p = current;
    if (grows_stack(p, f)) {
        uint32_t frame = frame_alloc_zeroed();
        if (frame && vm_map(&p->space, f->address & ~(PAGE_SIZE - 1), frame, VM_WRITE) == 0) {
            return;
        }
        if (frame) {
            frame_free(frame);
        }
        proc_kill_current(9, "out of memory growing the stack");
    }
    if (f->is_page_fault && f->present && f->write &&
        vm_resolve_write_fault(&p->space, f->address) == 0) {
        return;
    }

    char why[160];
    if (f->is_page_fault) {
        const char *hint = "";
        if (!f->present && f->address < p->stack_limit &&
            f->address >= p->stack_limit - STACK_REACH_BELOW_ESP) {
            hint = " (stack overflow: past the stack limit)";
        }
        format_snprintf(why, sizeof(why), "page fault %s 0x%08x (%s) at eip 0x%08x%s",
                        f->write ? "writing" : "reading", f->address,
                        f->present ? "protection violation" : "not present", f->eip, hint);
    } else if (f->error_code) {
        format_snprintf(why, sizeof(why), "%s (error 0x%x) at eip 0x%08x", f->what,
                        f->error_code, f->eip);
    } else {
        format_snprintf(why, sizeof(why), "%s at eip 0x%08x", f->what, f->eip);
    }
    proc_kill_current(f->signal, why);
}

bool proc_print_summary(void)
{
    bool all_ok = true;
    kprintf("ringlet: all processes have exited\n");
    kprintf("  %-5s %-24s %s\n", "pid", "name", "result");
    for (unsigned i = 0; i < record_count; i++) {
        const struct proc_record *r = &records[i];
        if (r->killed_by) {
            kprintf("  %-5d %-24s killed (signal %d)\n", r->pid, r->name, r->killed_by);
        } else {
            kprintf("  %-5d %-24s exit %d\n", r->pid, r->name, r->exit_status);
        }
        all_ok = all_ok && r->killed_by == 0 && r->exit_status == 0;
    }
    if (processes_ended > record_count) {
        kprintf("  ... and %u more\n", processes_ended - record_count);
    }
    return all_ok;
}
