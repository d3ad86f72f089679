/*
 * Job control: stopping and continuing processes (jobctl.h). Stopping is a sleep of each thread
 * on its process's first-thread slot; SIGCONT wakes them. The stop is decided when a stop
 * signal's default action is taken (on the way to user mode), continuing when SIGCONT is sent.
 */
#include <jobctl.h>

#include <proc.h>
#include <sched.h>

#include <abi/signal.h>

#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define INIT_PID     1

bool jobctl_is_stop_signal(int sig)
{
    return sig >= 1 && sig <= SIGNAL_COUNT && (STOP_SIGNALS & SIGBIT(sig)) != 0;
}

/* The slot that holds process tgid's job-control state: its first thread's. */
static struct proc *leader_of(int tgid)
{
    return proc_find(tgid);
}

/* Every live thread of process tgid, one at a time: returns the next after *index. */
static struct proc *next_thread(int tgid, unsigned *index)
{
    const struct proc *table = proc_table();
    for (; *index < PROC_MAX; (*index)++) {
        struct proc *t = (struct proc *)&table[*index];
        if (t->state != PROC_FREE && t->state != PROC_ZOMBIE && t->tgid == tgid) {
            (*index)++;
            return t;
        }
    }
    return NULL;
}

/* Linux's do_notify_parent_cldstop: SIGCHLD (unless the parent asked SA_NOCLDSTOP) and a
 * wakeup for the parent's wait. */
static void tell_parent(struct proc *leader, int code, int status)
{
    struct proc *parent = leader->parent_pid ? proc_find(leader->parent_pid) : NULL;
    struct proc *target = parent ? signal_group_target(parent->tgid, SIGCHLD) : NULL;
    if (target == NULL) {
        return;
    }
    if (!(target->sighand->actions[SIGCHLD - 1].flags & SA_NOCLDSTOP)) {
        struct signal_info info = { .code = code, .pid = leader->tgid, .status = status };
        signal_send_process(parent->tgid, SIGCHLD, &info);
    }
    sched_wakeup(parent); /* a parent's threads wait on its first thread (proc_wait) */
}

void jobctl_on_send(struct proc *p, int sig)
{
    if (!jobctl_is_stop_signal(sig) && sig != SIGCONT) {
        return;
    }
    uint64_t discard = sig == SIGCONT ? STOP_SIGNALS : SIGBIT(SIGCONT);
    unsigned i = 0;
    for (struct proc *t; (t = next_thread(p->tgid, &i)) != NULL;) {
        t->signals.pending &= ~discard;
        if (sig == SIGCONT) {
            t->signals.stop_pending = false;
        }
    }
    struct proc *leader = leader_of(p->tgid);
    if (sig == SIGCONT && leader && leader->jobctl.group_stopped) {
        leader->jobctl.group_stopped = false;
        leader->jobctl.report = JOBCTL_REPORT_CONTINUED;
        sched_wakeup(&leader->jobctl);
        tell_parent(leader, CLD_CONTINUED, SIGCONT);
    }
}

bool jobctl_group_orphaned(int pgid)
{
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        const struct proc *p = &table[i];
        if (p->state == PROC_FREE || p->pid != p->tgid || p->pgid != pgid ||
            (p->state == PROC_ZOMBIE && !proc_group_alive(p))) {
            continue;
        }
        const struct proc *parent = p->parent_pid ? proc_find(p->parent_pid) : NULL;
        if (parent && parent->tgid != INIT_PID && parent->pgid != pgid) {
            return false;
        }
    }
    return true;
}

void jobctl_wake_orphans(void)
{
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        const struct proc *p = &table[i];
        if (p->state == PROC_FREE || p->pid != p->tgid || !p->jobctl.group_stopped ||
            !jobctl_group_orphaned(p->pgid)) {
            continue;
        }
        int pgid = p->pgid;
        proc_signal_group(pgid, SIGHUP, 0);
        proc_signal_group(pgid, SIGCONT, 0); /* continues the group: it is seen once */
    }
}

void jobctl_stop(int sig)
{
    struct proc *me = current;
    struct proc *leader = leader_of(me->tgid);
    if (leader == NULL || (sig != SIGSTOP && jobctl_group_orphaned(me->pgid))) {
        return; /* nobody could ever continue it: Linux discards the signal */
    }
    if (leader->jobctl.group_stopped) {
        me->signals.stop_pending = true; /* stopped already: this thread joins */
        return;
    }
    leader->jobctl.group_stopped = true;
    leader->jobctl.stop_signal = sig;
    leader->jobctl.report = JOBCTL_REPORT_STOPPED;
    unsigned i = 0;
    for (struct proc *t; (t = next_thread(me->tgid, &i)) != NULL;) {
        t->signals.stop_pending = true;
        if (t != me) {
            sched_wake_blocked(t); /* a sleeping thread parks within its sleep */
        }
    }
    tell_parent(leader, CLD_STOPPED, sig);
}

void jobctl_park(void)
{
    struct proc *p = current;
    struct proc *leader = leader_of(p->tgid);
    p->signals.stop_pending = false;
    if (leader == NULL) {
        return;
    }
    p->signals.stopped = true;         /* from now on only SIGKILL is a pending signal for it */
    uint64_t wake_tick = p->wake_tick; /* a timed sleep it stopped in: not woken every tick */
    p->wake_tick = 0;
    while (leader->jobctl.group_stopped && !signal_pending(p)) {
        sched_sleep(&leader->jobctl);
    }
    p->wake_tick = wake_tick; /* the sleep's own loop sees whether its time has passed */
    p->signals.stopped = false;
}

int jobctl_wait_status(struct proc *c, int options, bool consume)
{
    struct jobctl *j = &c->jobctl;
    int status = -1;
    if ((options & WUNTRACED) && j->report == JOBCTL_REPORT_STOPPED && j->group_stopped) {
        status = (j->stop_signal << 8) | 0x7f;
    } else if ((options & WCONTINUED) && j->report == JOBCTL_REPORT_CONTINUED) {
        status = WSTATUS_CONTINUED;
    }
    if (status != -1 && consume) {
        j->report = JOBCTL_REPORT_NONE;
    }
    return status;
}
