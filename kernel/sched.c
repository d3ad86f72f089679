/*
 * Round-robin scheduling on a run queue. The scheduler runs on the boot stack (xv6's scheduler
 * context): a process gives up the CPU by switching back to it — when it yields, blocks, ends,
 * or when the timer preempts it on its way back to user mode — and the scheduler switches to
 * the next process on the queue. With nothing to run, the CPU halts until an interrupt.
 */
#include <sched.h>

#include <arch.h>
#include <clock.h>
#include <kprintf.h>
#include <proc.h>
#include <trace.h>
#include <uaccess.h>

static uint32_t scheduler_context;
static struct proc *run_head;
static struct proc *run_tail;
#define SLICE_TICKS 2 /* a process runs at most 20 ms before another gets the CPU */

bool preemption_requested; /* also read by the system-call return path (trap_entry.S) */
static unsigned slice_left;
static struct proc *blocked_head; /* wakeups look only at blocked processes */

static void blocked_add(struct proc *p)
{
    p->blocked_prev = NULL;
    p->blocked_next = blocked_head;
    if (blocked_head) {
        blocked_head->blocked_prev = p;
    }
    blocked_head = p;
}

static void blocked_remove(struct proc *p)
{
    if (p->blocked_prev) {
        p->blocked_prev->blocked_next = p->blocked_next;
    } else {
        blocked_head = p->blocked_next;
    }
    if (p->blocked_next) {
        p->blocked_next->blocked_prev = p->blocked_prev;
    }
    p->blocked_next = p->blocked_prev = NULL;
}

void sched_make_runnable(struct proc *p)
{
    if (p->state == PROC_BLOCKED) {
        blocked_remove(p);
    }
    p->state = PROC_RUNNABLE;
    p->wait_channel = NULL;
    p->run_next = NULL;
    if (run_tail) {
        run_tail->run_next = p;
    } else {
        run_head = p;
    }
    run_tail = p;
}

/* Linux's load average: every 5 s, load = load * e + running * (1 - e), in fixed point with
 * 11 fraction bits, for 1, 5 and 15 minutes. */
#define LOAD_FIXED_1 2048u
#define LOAD_PERIOD  (5 * CLOCK_HZ)
static const uint32_t load_decay[3] = { 1884, 2014, 2037 };
static uint32_t load[3];
static uint64_t idle_ticks;
static uint32_t switches;

static void update_load(void)
{
    uint32_t running = 0;
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        running += table[i].state == PROC_RUNNABLE || table[i].state == PROC_RUNNING;
    }
    for (int i = 0; i < 3; i++) {
        uint32_t decay = load_decay[i];
        load[i] =
            (load[i] * decay + running * LOAD_FIXED_1 * (LOAD_FIXED_1 - decay)) / LOAD_FIXED_1;
    }
}

void sched_load_average(uint32_t hundredths[3])
{
    for (int i = 0; i < 3; i++) {
        hundredths[i] = (uint32_t)(((uint64_t)load[i] * 100 + LOAD_FIXED_1 / 2) / LOAD_FIXED_1);
    }
}

uint64_t sched_idle_ticks(void)
{
    return idle_ticks;
}

uint32_t sched_switches(void)
{
    return switches;
}

static struct proc *take_next(void)
{
    struct proc *p = run_head;
    if (p) {
        run_head = p->run_next;
        if (run_head == NULL) {
            run_tail = NULL;
        }
    }
    return p;
}

/* Makes p the current process and its machine state the CPU's: the kernel stack traps land
 * on, its thread-local storage, its address space and its FPU registers. */
static void load_process(struct proc *p)
{
    switches++;
    if (trace_enabled) {
        trace_record(TRACE_SWITCH, p->pid, 0);
    }
    current = p;
    arch_set_kernel_stack(p->kstack_top);
    arch_tls_load(&p->tls);
    vm_activate(&p->mm->space);
    arch_fpu_restore(p->fpu);
}

/*
 * DEBUG builds: the run queue and the blocked list are what they claim to be, checked each
 * time the scheduler chooses (cheap: at most PROC_MAX links each). A process on the wrong list,
 * a broken back link or a cycle panics with the pid, before it turns into a lost wakeup.
 */
static void check_queues(void)
{
    unsigned n = 0;
    const struct proc *last = NULL;
    for (const struct proc *p = run_head; p; last = p, p = p->run_next) {
        if (++n > PROC_MAX || p->state != PROC_RUNNABLE) {
            panic("sched: run queue: pid %d is in state %d, or the queue loops", p->pid,
                  (int)p->state);
        }
    }
    if (last != run_tail) {
        panic("sched: run queue: the tail is not the last process");
    }
    n = 0;
    const struct proc *prev = NULL;
    for (const struct proc *p = blocked_head; p; prev = p, p = p->blocked_next) {
        if (++n > PROC_MAX || p->state != PROC_BLOCKED || p->blocked_prev != prev) {
            panic("sched: blocked list: pid %d is in state %d, or a link is broken", p->pid,
                  (int)p->state);
        }
    }
}

void sched_run(void)
{
    for (;;) {
        if (RINGLET_DEBUG) {
            check_queues();
        }
        struct proc *p = take_next();
        if (p == NULL) {
            if (proc_count() == 0) {
                return;
            }
            arch_idle(); /* everyone is blocked: wait for an interrupt */
            continue;
        }
        p->state = PROC_RUNNING;
        p->runs++;
        slice_left = SLICE_TICKS; /* a whole slice for whoever is chosen */
        preemption_requested = false;
        load_process(p);
        arch_switch(&scheduler_context, p->context);
        p = current; /* not always the one chosen: the IPC fast path switches directly */
        arch_fpu_save(p->fpu);
        current = NULL;
        if (trace_enabled) {
            trace_record(TRACE_SWITCH, 0, 0); /* the scheduler: idle, or choosing */
        }
        if (p->state == PROC_ZOMBIE && p->parent_pid == 0 &&
            (p->pid != p->tgid || !proc_group_alive(p))) {
            proc_reap(p); /* nobody waits for it (a first thread waits for its group) */
        }
    }
}

/* Back to the scheduler; returns when this process is chosen again. */
static void switch_to_scheduler(struct proc *p)
{
    arch_switch(&p->context, scheduler_context);
}

void sched_yield_current(void)
{
    struct proc *p = current;
    preemption_requested = false;
    if (run_head == NULL) {
        /* Nobody else wants the CPU: keep it, with a fresh slice, so that the next tick counts
         * down to the next chance a process woken meanwhile has to run. */
        slice_left = SLICE_TICKS;
        return;
    }
    sched_make_runnable(p);
    switch_to_scheduler(p);
}

void sched_sleep(const void *channel)
{
    struct proc *p = current;
    if (p->signals.stop_pending) {
        jobctl_park(); /* stopped where it sleeps; the caller's loop tests again after */
        return;
    }
    if (signal_pending(p)) {
        return;
    }
    p->state = PROC_BLOCKED;
    p->wait_channel = channel;
    blocked_add(p);
    switch_to_scheduler(p);
}

void sched_handoff(struct proc *next, const void *channel)
{
    struct proc *p = current;
    if (signal_pending(p)) {
        sched_make_runnable(next); /* the caller goes back to user mode to take the signal */
        return;
    }
    blocked_remove(next);
    p->state = PROC_BLOCKED;
    p->wait_channel = channel;
    blocked_add(p);
    next->state = PROC_RUNNING;
    next->wait_channel = NULL;
    next->runs++;
    arch_fpu_save(p->fpu);
    load_process(next);
    arch_switch(&p->context, next->context);
}

void sched_wakeup(const void *channel)
{
    struct proc *next;
    for (struct proc *p = blocked_head; p; p = next) {
        next = p->blocked_next;
        if (p->wait_channel == channel) {
            sched_make_runnable(p);
        }
    }
}

void sched_wake_blocked(struct proc *p)
{
    if (p->state == PROC_BLOCKED) {
        sched_make_runnable(p);
    }
}

void sched_wake_first(struct proc *p)
{
    if (p->state != PROC_BLOCKED) {
        return;
    }
    blocked_remove(p);
    p->state = PROC_RUNNABLE;
    p->wait_channel = NULL;
    p->run_next = run_head;
    run_head = p;
    if (run_tail == NULL) {
        run_tail = p;
    }
    preemption_requested = true;
}

void sched_tick(void)
{
    if (clock_ticks() % LOAD_PERIOD == 0) {
        update_load();
    }
    if (current == NULL) {
        idle_ticks++;
        return; /* idle: the next process chosen gets a whole slice */
    }
    current->ticks++;
    /* An expired slice keeps asking: the process must not run on past it unnoticed. */
    if (slice_left == 0 || --slice_left == 0) {
        preemption_requested = true;
    }
}

void proc_returning_to_user(void)
{
    if (preemption_requested) {
        sched_yield_current();
    }
    /* The common case costs two loads: nothing pending means nothing to deliver, and no call
     * to restart either (a call gives up with -ERESTARTSYS only while a signal is pending). */
    const struct signal_state *s = &current->signals;
    if (s->pending != 0 || s->restore_saved || s->stop_pending) {
        signal_return_to_user();
    }
}

void proc_first_run(void)
{
    struct proc *p = current;
    if (p->set_child_tid) { /* clone's CLONE_CHILD_SETTID, in the child's own memory */
        int tid = p->pid;
        (void)copy_to_user(p->set_child_tid, &tid, sizeof(tid));
        p->set_child_tid = 0;
    }
    signal_return_to_user();
}

_Noreturn void sched_leave_cpu(struct proc *p)
{
    arch_switch(&p->context, scheduler_context);
    panic("sched_leave_cpu: a finished process ran again");
}
