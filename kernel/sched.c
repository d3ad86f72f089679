/*
 * Round-robin scheduling on a run queue. The scheduler runs on the boot stack (xv6's scheduler
 * context): a process gives up the CPU by switching back to it, and it switches to the next
 * process on the queue. Cooperative for now: sched_yield and exit are the only ways off the CPU.
 */
#include <proc.h>

#include <arch.h>
#include <kprintf.h>

static uint32_t scheduler_context;
static struct proc *run_head;
static struct proc *run_tail;

void sched_make_runnable(struct proc *p)
{
    p->state = PROC_RUNNABLE;
    p->run_next = NULL;
    if (run_tail) {
        run_tail->run_next = p;
    } else {
        run_head = p;
    }
    run_tail = p;
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

void sched_run(void)
{
    for (;;) {
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
        current = p;
        arch_set_kernel_stack(p->kstack_top);
        vm_activate(&p->space);
        arch_switch(&scheduler_context, p->context);
        current = NULL;
        if (p->state == PROC_ZOMBIE) {
            proc_reap(p); /* nobody waits for processes yet */
        }
    }
}

void sched_yield_current(void)
{
    struct proc *p = current;
    if (run_head == NULL) {
        return; /* nobody else wants the CPU */
    }
    sched_make_runnable(p);
    arch_switch(&p->context, scheduler_context);
}

_Noreturn void sched_leave_cpu(struct proc *p)
{
    arch_switch(&p->context, scheduler_context);
    panic("sched_leave_cpu: a finished process ran again");
}
