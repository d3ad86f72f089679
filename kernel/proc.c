/*
 * The process table: creating (from a file, by fork), replacing (exec), ending and waiting for
 * processes, and signals (kill). What a page fault means is in fault.c.
 */
#include <proc.h>
#include <sched.h>
#include <trace.h>

#include <arch.h>
#include <clock.h>
#include <fd.h>
#include <file.h>
#include <frames.h>
#include <kprintf.h>
#include <lib/string.h>
#include <lib/text.h>
#include <loader.h>
#include <tty.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/signal.h>

#include <arch/memlayout.h>

#define DEFAULT_USTACK_LIMIT (1024u * 1024u)
#define MAX_RECORDS          128
#define INIT_PID             1
#define INIT_RESERVED_SLOTS  1 /* kept for pid 1's forks: see proc_fork */

static bool report_unknown_calls; /* syscalls=unknown: see syscall_unknown() */
static struct proc procs[PROC_MAX];
static int next_pid = 1;
static uint32_t ustack_limit = DEFAULT_USTACK_LIMIT;
static struct proc_record {
    int pid;
    char name[PROC_NAME_SIZE];
    int exit_status;
    int killed_by;
    bool started_by_kernel; /* only these decide the run's result */
} records[MAX_RECORDS];
static unsigned record_count;
static unsigned processes_ended;
static bool kernel_started_failed;

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
    char calls[16];
    report_unknown_calls =
        cmdline_get(cmdline, "syscalls", calls, sizeof(calls)) && strcmp(calls, "unknown") == 0;
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
}

unsigned proc_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        n += procs[i].state != PROC_FREE;
    }
    return n;
}

unsigned proc_forks(void)
{
    return (unsigned)(next_pid - 1);
}

int proc_last_pid(void)
{
    return next_pid - 1;
}

const struct proc *proc_table(void)
{
    return procs;
}

struct proc *proc_find(int pid)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        if (procs[i].state != PROC_FREE && procs[i].pid == pid) {
            return &procs[i];
        }
    }
    return NULL;
}

static struct proc *free_slot(void)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        if (procs[i].state == PROC_FREE && procs[i].pid == 0) {
            return &procs[i];
        }
    }
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Loads f and its start-up stack into space. 0, or an error with a reason in error. */
static int load_program(struct vm_space *space, const struct program_image *f,
                        const char *const *argv, int argc, const char *const *envp, int envc,
                        struct loaded_program *program, uint32_t *sp, char *error,
                        uint32_t error_size)
{
    int err;
    if (f->flat) {
        err = load_flat(space, f->data, f->size, f->phys, program);
    } else {
        err = load_elf(space, f->data, f->size, program, error, error_size);
    }
    if (err == 0) {
        program->path = f->path;
        program->execfn = f->given ? f->given : f->path;
        err = load_user_stack(space, USER_STACK_TOP, argv, argc, envp, envc, program, sp);
    }
    if (err == -ENOMEM) {
        strlcpy(error, "out of memory", error_size);
    } else if (err == -E2BIG) {
        strlcpy(error, "arguments too long", error_size);
    }
    return err;
}

/* The parts every new process starts with. */
static void init_slot(struct proc *p, const char *name)
{
    strlcpy(p->name, name, sizeof(p->name));
    p->pid = next_pid++;
    if (trace_enabled) {
        trace_name(p->pid, p->name);
    }
    p->start_tick = clock_ticks();
    p->tgid = p->pid;
    p->pgid = p->pid;
    p->exit_signal = SIGCHLD;
    arch_fpu_clean_state(p->fpu);
}

/* Gives back what a slot that never ran holds (a create or fork that failed half-way). */
static void release_unstarted(struct proc *p, unsigned slot)
{
    if (p->kstack_top) {
        vm_kernel_stack_destroy(slot);
    }
    mm_put(p->mm);
    files_put(p->files);
    sighand_put(p->sighand);
    memset(p, 0, sizeof(*p));
}

/* The program's own facts in its new memory: heap start, arguments, path. */
static void record_program(struct mm *mm, const struct loaded_program *program)
{
    mm->brk_start = mm->brk = (program->end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    mm->arg_start = program->arg_start;
    mm->arg_end = program->arg_end;
    strlcpy(mm->exe, program->path, sizeof(mm->exe));
}

int proc_create(const char *name, const struct program_image *f, const char *const *argv, int argc,
                char *error, uint32_t error_size)
{
    struct proc *p = free_slot();
    if (p == NULL) {
        strlcpy(error, "the process table is full", error_size);
        return -1;
    }
    unsigned slot = (unsigned)(p - procs);
    memset(p, 0, sizeof(*p));
    struct file *console = file_new(FILE_CONSOLE);
    p->mm = mm_new();
    p->files = files_copy(NULL);
    p->sighand = sighand_copy(NULL);
    if (console == NULL || p->mm == NULL || p->files == NULL || p->sighand == NULL) {
        if (console) {
            file_close(console);
        }
        release_unstarted(p, slot);
        strlcpy(error, "out of memory", error_size);
        return -1;
    }
    struct loaded_program program;
    uint32_t sp = 0;
    int err = load_program(&p->mm->space, f, argv, argc, NULL, 0, &program, &sp, error, error_size);
    if (err == 0 && (p->kstack_top = vm_kernel_stack_create(slot)) == 0) {
        strlcpy(error, "out of memory", error_size);
        err = -ENOMEM;
    }
    if (err != 0) {
        file_close(console);
        release_unstarted(p, slot);
        return -1;
    }
    p->context = arch_prepare_user_entry(p->kstack_top, program.entry, sp);
    record_program(p->mm, &program);
    p->mm->stack_limit = USER_STACK_TOP - ustack_limit;
    for (int fd = 0; fd < 3; fd++) {
        files_set(p->files, fd, console);
    }
    console->refs = 3;
    p->started_by_kernel = true;
    init_slot(p, name);
    sched_make_runnable(p);
    return p->pid;
}

/* Whether a fork by parent may take the last free slot: only pid 1 may, while it lives. */
static bool may_take_last_slot(const struct proc *parent)
{
    const struct proc *init = proc_find(INIT_PID);
    return parent->tgid == INIT_PID || init == NULL || init->state == PROC_ZOMBIE;
}

/* A free slot for a new process or thread made by parent, or NULL (-EAGAIN). One slot stays
 * free for pid 1: with the table full of zombies nobody reaps (or of anything else), init can
 * still start a shell again. */
static struct proc *slot_for_child(const struct proc *parent)
{
    struct proc *child = free_slot();
    if (child == NULL ||
        (PROC_MAX - proc_count() <= INIT_RESERVED_SLOTS && !may_take_last_slot(parent))) {
        return NULL;
    }
    memset(child, 0, sizeof(*child));
    return child;
}

int proc_fork(void)
{
    struct proc *parent = current;
    struct proc *child = slot_for_child(parent);
    if (child == NULL) {
        return -EAGAIN;
    }
    unsigned slot = (unsigned)(child - procs);
    child->mm = mm_fork(parent->mm);
    child->files = files_copy(parent->files);
    child->sighand = sighand_copy(parent->sighand);
    if (child->mm == NULL || child->files == NULL || child->sighand == NULL ||
        (child->kstack_top = vm_kernel_stack_create(slot)) == 0) {
        release_unstarted(child, slot);
        return -ENOMEM;
    }
    child->context = arch_prepare_fork(parent->kstack_top, child->kstack_top);
    init_slot(child, parent->name);
    child->pgid = parent->pgid;
    child->parent_pid = parent->tgid; /* the parent is the whole thread group */
    child->tls = parent->tls; /* fork keeps the thread pointer; clone's CLONE_SETTLS would not */
    child->signals.blocked = parent->signals.blocked; /* pending signals are not inherited */
    child->signals.altstack = parent->signals.altstack;
    arch_fpu_save(child->fpu); /* the parent's registers, as they are now */
    sched_make_runnable(child);
    return child->pid;
}

int proc_thread(uint32_t stack, const struct arch_tls *tls)
{
    struct proc *parent = current;
    struct proc *t = slot_for_child(parent);
    if (t == NULL) {
        return -EAGAIN;
    }
    unsigned slot = (unsigned)(t - procs);
    if ((t->kstack_top = vm_kernel_stack_create(slot)) == 0) {
        memset(t, 0, sizeof(*t));
        return -ENOMEM;
    }
    t->mm = parent->mm;
    t->files = parent->files;
    t->sighand = parent->sighand;
    mm_get(t->mm);
    t->files->refs++;
    t->sighand->refs++;
    t->context = arch_prepare_fork(parent->kstack_top, t->kstack_top);
    arch_set_user_stack(t->kstack_top, stack);
    init_slot(t, parent->name);
    t->tgid = parent->tgid;
    t->pgid = parent->pgid;
    t->parent_pid = 0; /* nobody waits for a thread: it is reaped when it ends */
    t->exit_signal = 0;
    t->tls = *tls;
    t->signals.blocked = parent->signals.blocked;
    t->started_by_kernel = false;
    arch_fpu_save(t->fpu);
    sched_make_runnable(t);
    return t->pid;
}

/* Whether another thread of p's group is still alive (not a zombie). */
static bool other_threads_alive(const struct proc *p)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        const struct proc *t = &procs[i];
        if (t != p && t->tgid == p->tgid && t->state != PROC_FREE && t->state != PROC_ZOMBIE) {
            return true;
        }
    }
    return false;
}

void proc_kill_other_threads(int exit_status, int signal)
{
    struct proc *me = current;
    struct signal_info info = { .code = SI_KERNEL };
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *t = &procs[i];
        if (t != me && t->tgid == me->tgid && t->state != PROC_FREE && t->state != PROC_ZOMBIE &&
            !t->group_exiting) {
            t->group_exiting = true;
            t->exit_status = exit_status;
            t->group_signal = signal;
            t->signals.pending |= SIGBIT(SIGKILL); /* dies the next time it would run */
            t->signals.info[SIGKILL - 1] = info;
            sched_wake_blocked(t);
        }
    }
}

/*
 * Linux's de_thread for exec: ends every other thread of p's process and waits until they have
 * (they die the next time they run); then, when p is not the first thread, p takes over its
 * identity — its pid (the process's), its parent and what the process has on that slot — and
 * the first thread's slot goes, so the new program is the process, alone, as on Linux.
 */
static void end_other_threads(struct proc *p)
{
    proc_kill_other_threads(0, 0);
    while (other_threads_alive(p)) {
        sched_yield_current();
    }
    struct proc *leader = p->pid == p->tgid ? NULL : proc_find(p->tgid);
    if (leader == NULL) {
        return;
    }
    p->parent_pid = leader->parent_pid;
    p->exit_signal = leader->exit_signal;
    p->started_by_kernel = leader->started_by_kernel;
    p->start_tick = leader->start_tick;
    p->jobctl = leader->jobctl;
    p->alarm_tick = leader->alarm_tick;
    p->alarm_interval_us = leader->alarm_interval_us;
    for (int i = 0; i < 2; i++) {
        p->cpu_timer_left[i] = leader->cpu_timer_left[i];
        p->cpu_timer_interval_us[i] = leader->cpu_timer_interval_us[i];
    }
    proc_reap(leader); /* a zombie that never runs again */
    p->pid = p->tgid;
}

uint32_t proc_exec_args_limit(void)
{
    uint32_t limit = ustack_limit / 4;
    return limit < 6u * 1024 * 1024 ? limit : 6u * 1024 * 1024;
}

int proc_exec(const struct program_image *f, const char *const *argv, int argc,
              const char *const *envp, int envc)
{
    struct proc *p = current;
    struct mm *fresh = mm_new();
    if (fresh == NULL) {
        return -ENOMEM;
    }
    struct loaded_program program;
    uint32_t sp;
    char error[96];
    int err =
        load_program(&fresh->space, f, argv, argc, envp, envc, &program, &sp, error, sizeof(error));
    /* The new program gets descriptors and actions of its own (threads keep the old ones). */
    struct files *files = err == 0 && p->files->refs > 1 ? files_copy(p->files) : p->files;
    struct sighand *sighand =
        err == 0 && p->sighand->refs > 1 ? sighand_copy(p->sighand) : p->sighand;
    if (err == 0 && (files == NULL || sighand == NULL)) {
        err = -ENOMEM;
    }
    if (err != 0) {
        mm_put(fresh); /* the old image is untouched */
        if (files && files != p->files) {
            files_put(files);
        }
        if (sighand && sighand != p->sighand) {
            sighand_put(sighand);
        }
        return err;
    }
    end_other_threads(p); /* Linux's de_thread: the other threads end first */
    if (files != p->files) {
        files_put(p->files);
        p->files = files;
    }
    if (sighand != p->sighand) {
        sighand_put(p->sighand);
        p->sighand = sighand;
    }
    struct mm *old = p->mm;
    record_program(fresh, &program);
    fresh->stack_limit = old->stack_limit;
    p->mm = fresh;
    vm_activate(&p->mm->space);
    mm_put(old);
    memset(&p->tls, 0, sizeof(p->tls)); /* a new program starts without thread-local storage */
    signal_exec(p);
    ipc_exit(p);
    fd_close_on_exec();
    arch_tls_load(&p->tls);
    p->clear_child_tid = 0;
    strlcpy(p->name, base_name(f->given ? f->given : f->path), sizeof(p->name));
    if (trace_enabled) {
        trace_name(p->pid, p->name);
    }
    arch_fpu_clean_state(p->fpu);
    arch_fpu_restore(p->fpu);
    arch_restart_user(p->kstack_top, program.entry, sp);
    return 0;
}

static void record(const struct proc *p)
{
    processes_ended++;
    if (record_count < MAX_RECORDS) {
        struct proc_record *r = &records[record_count++];
        r->pid = p->pid;
        strlcpy(r->name, p->name, sizeof(r->name));
        r->exit_status = p->exit_status;
        r->killed_by = p->killed_by;
        r->started_by_kernel = p->started_by_kernel;
    }
    if (p->started_by_kernel && (p->killed_by != 0 || p->exit_status != 0)) {
        kernel_started_failed = true; /* counted even when the record table is full */
    }
}

/* Tells p's parent that p (the group's first thread) has ended: the signal it asked for, a
 * wakeup for its wait; or, when the parent ignores SIGCHLD, no zombie at all. */
static void notify_parent(struct proc *p)
{
    struct proc *parent = p->parent_pid ? proc_find(p->parent_pid) : NULL;
    /* The parent's first thread may have ended while its others run: ask a live one. */
    struct proc *live = parent ? signal_group_target(parent->tgid, 0) : NULL;
    const struct kernel_sigaction *on_child = live ? &live->sighand->actions[SIGCHLD - 1] : NULL;
    if (live == NULL) {
        parent = NULL;
    }
    if (parent == NULL) {
        p->parent_pid = 0;
    } else if (p->exit_signal == SIGCHLD &&
               (on_child->handler == SIG_IGN || (on_child->flags & SA_NOCLDWAIT))) {
        /* A parent that ignores SIGCHLD (or asked SA_NOCLDWAIT) leaves no zombies, as in
         * Linux: the scheduler reaps this one, and the parent's wait sees it gone. */
        p->parent_pid = 0;
        sched_wakeup(parent);
    } else {
        struct signal_info info = {
            .code = p->killed_by ? CLD_KILLED : CLD_EXITED,
            .pid = p->pid,
            .status = p->killed_by ? p->killed_by : p->exit_status,
        };
        if (p->exit_signal) {
            signal_send_process(parent->tgid, p->exit_signal, &info);
        }
        sched_wakeup(parent); /* its threads wait on the group's first thread (proc_wait) */
    }
}

/* The group of p has ended (its last thread is going): its children go to init, and the
 * parent hears of the group's first thread (which may have ended earlier, as a zombie). */
static void group_ended(struct proc *p)
{
    struct proc *init = proc_find(INIT_PID);
    bool init_alive = init && init->tgid != p->tgid && init->state != PROC_ZOMBIE;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *child = &procs[i];
        if (child->state != PROC_FREE && child->parent_pid == p->tgid && child->tgid != p->tgid) {
            child->parent_pid = init_alive ? INIT_PID : 0;
            if (child->state == PROC_ZOMBIE) {
                if (init_alive) {
                    sched_wakeup(init);
                } else {
                    proc_reap(child); /* nobody will wait for it, and it runs no more */
                }
            }
        }
    }
    struct proc *leader = proc_find(p->tgid);
    if (leader && (leader == p || leader->state == PROC_ZOMBIE)) {
        notify_parent(leader);
        if (leader != p && leader->parent_pid == 0) {
            proc_reap(leader); /* ended earlier, kept for the group; nobody waits for it */
        }
    }
    jobctl_wake_orphans(); /* a stopped group this end orphaned gets SIGHUP and SIGCONT */
}

bool proc_group_alive(const struct proc *p)
{
    return other_threads_alive(p);
}

/* Leaves the CPU for good: gives back memory and files, and becomes a zombie for the parent
 * (or the scheduler) to reap. A thread that is not the last of its group only lets go of its
 * shares; the group's first thread stays a zombie until the last one ends. */
static _Noreturn void finish(struct proc *p)
{
    ipc_exit(p); /* an unanswered call it holds fails with EPIPE */
    if (p->group_exiting && p->killed_by == SIGKILL) {
        p->killed_by = p->group_signal; /* the group's end (exit_group's code, or its signal) */
    }
    if (p->clear_child_tid) {
        int zero = 0; /* Linux's mm_release: a thread's joiner waits on this word */
        if (copy_to_user(p->clear_child_tid, &zero, sizeof(zero)) == 0) {
            futex_wake_address(p->mm, p->clear_child_tid, 1);
        }
    }
    bool last = !other_threads_alive(p);
    files_put(p->files);
    p->files = NULL;
    sighand_put(p->sighand);
    p->sighand = NULL;
    mm_put(p->mm); /* the last one switches to the kernel's page directory */
    p->mm = NULL;
    if (p->pid == p->tgid || last) {
        record(p);
    }
    p->state = PROC_ZOMBIE;
    if (last) {
        group_ended(p);
    }
    if (p->pid != p->tgid) {
        p->parent_pid = 0; /* a thread: the scheduler reaps it */
    }
    sched_leave_cpu(p);
}

_Noreturn void proc_exit(int status)
{
    current->exit_status = status & 0xff;
    finish(current);
}

_Noreturn void proc_kill_current(int signal, const char *why)
{
    if (!current->group_exiting) {
        proc_kill_other_threads(0, signal); /* a fatal signal ends the whole group (Linux) */
    }
    if (why) {
        kprintf("pid %d (%s) killed: %s\n", current->pid, current->name, why);
    }
    current->killed_by = signal;
    finish(current);
}

void proc_reap(struct proc *p)
{
    vm_kernel_stack_destroy((unsigned)(p - procs));
    memset(p, 0, sizeof(*p));
}

int proc_wait(int pid, int options, uint32_t user_status)
{
    bool nohang = (options & WNOHANG) != 0;
    struct proc *me = current;
    for (;;) {
        bool have_children = false;
        for (unsigned i = 0; i < PROC_MAX; i++) {
            struct proc *c = &procs[i];
            if (c->state == PROC_FREE || c->parent_pid != me->tgid || c->tgid == me->tgid) {
                continue;
            }
            bool wanted = pid > 0     ? c->pid == pid
                          : pid == -1 ? true
                          : pid == 0  ? c->pgid == me->pgid
                                      : c->pgid == -pid; /* pid < -1: that process group */
            if (!wanted) {
                continue;
            }
            have_children = true;
            if (c->state != PROC_ZOMBIE || other_threads_alive(c)) {
                /* running, or its first thread ended but the group goes on: stopped, maybe */
                if (jobctl_wait_status(c, options, false) < 0) {
                    continue;
                }
                if (user_status && user_prepare_write(user_status, sizeof(int)) != 0) {
                    return -EFAULT;
                }
                int status = jobctl_wait_status(c, options, true);
                if (user_status) {
                    (void)copy_to_user(user_status, &status, sizeof(status)); /* checked */
                }
                return c->pid;
            }
            /* Reap only when the status can be delivered: a bad pointer leaves the zombie. */
            if (user_status && user_prepare_write(user_status, sizeof(int)) != 0) {
                return -EFAULT;
            }
            int found = c->pid;
            int status = c->killed_by ? (c->killed_by & 0x7f) : (c->exit_status & 0xff) << 8;
            proc_reap(c);
            if (user_status && copy_to_user(user_status, &status, sizeof(status)) != 0) {
                return -EFAULT; /* cannot happen after the check: nothing else maps our pages */
            }
            return found;
        }
        if (!have_children) {
            return -ECHILD;
        }
        if (nohang) {
            return 0;
        }
        if (signal_pending(me)) {
            return -ERESTARTSYS; /* after the scan: a child that ended is reaped first */
        }
        struct proc *leader = proc_find(me->tgid);
        sched_sleep(leader ? leader : me); /* a child's end wakes its parent's group */
    }
}

void proc_signal_group(int pgid, int sig, int except_pid)
{
    struct signal_info info = { .code = SI_KERNEL };
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_FREE || p->pid != p->tgid || p->pgid != pgid ||
            p->tgid == except_pid) {
            continue; /* one delivery per process, through its first thread's entry */
        }
        signal_send_process(p->tgid, sig, &info);
    }
}

void proc_wake_sleepers(uint64_t now)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *p = &procs[i];
        if (p->state == PROC_BLOCKED && p->wake_tick && p->wake_tick <= now) {
            sched_wake_first(p);
        }
    }
}

bool proc_print_summary(void)
{
    kprintf("ringlet: all processes have exited\n");
    kprintf("  %-5s %-24s %s\n", "pid", "name", "result");
    for (unsigned i = 0; i < record_count; i++) {
        const struct proc_record *r = &records[i];
        if (r->killed_by) {
            kprintf("  %-5d %-24s killed (signal %d)\n", r->pid, r->name, r->killed_by);
        } else {
            kprintf("  %-5d %-24s exit %d\n", r->pid, r->name, r->exit_status);
        }
    }
    if (processes_ended > record_count) {
        kprintf("  ... and %u more\n", processes_ended - record_count);
    }
    return !kernel_started_failed;
}

/* syscalls=unknown on the command line: each call a program makes that Ringlet does not have
 * is reported, so a newcomer sees at once what a foreign program is missing. */

void syscall_unknown(uint32_t number)
{
    if (report_unknown_calls) {
        kprintf("pid %d (%s): system call %u is not in Ringlet (-ENOSYS)\n", current->pid,
                current->name, number);
    }
}

bool proc_group_exists(int pgid)
{
    for (unsigned i = 0; i < PROC_MAX; i++) {
        if (procs[i].state != PROC_FREE && procs[i].state != PROC_ZOMBIE && procs[i].pgid == pgid) {
            return true;
        }
    }
    return false;
}
