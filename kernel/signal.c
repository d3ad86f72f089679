#include <sched.h>
#include <signal.h>

#include <arch.h>
#include <heap.h>
#include <jobctl.h>
#include <lib/string.h>
#include <proc.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/errno.h>

#define INIT_PID    1
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define ALL_SIGNALS 0xffffffffffffffffull

/* What SIG_DFL does: ignore these; stop for the stop signals (jobctl.c); else terminate. */
static bool default_ignores(int sig)
{
    switch (sig) {
    case SIGCHLD:
    case SIGCONT:
    case SIGURG:
    case SIGWINCH:
        return true;
    default:
        return false;
    }
}

static bool ignored(const struct proc *p, int sig)
{
    uint32_t handler = p->sighand->actions[sig - 1].handler;
    return handler == SIG_IGN || (handler == SIG_DFL && default_ignores(sig));
}

static int lowest_signal(uint64_t set)
{
    return set ? __builtin_ctzll(set) + 1 : 0;
}

void signal_send(struct proc *p, int sig, const struct signal_info *info)
{
    struct signal_state *s = &p->signals;
    if (p->tgid == INIT_PID && p->sighand->actions[sig - 1].handler == SIG_DFL &&
        !(s->blocked & SIGBIT(sig))) {
        return; /* init gets only the signals it has asked for, or blocks (to sigwait) */
    }
    jobctl_on_send(p, sig); /* SIGCONT continues even when ignored or blocked */
    if (!(s->blocked & SIGBIT(sig)) && ignored(p, sig)) {
        return;
    }
    if (s->pending & SIGBIT(sig)) {
        if (sig >= SIGRTMIN) {
            signal_queue_add(s, sig, info); /* a standard signal merges with the pending one */
        }
    } else {
        s->pending |= SIGBIT(sig);
        s->shared &= ~SIGBIT(sig); /* for this thread (signal_send_process marks the process's) */
        s->info[sig - 1] = *info;
    }
    if (signal_pending(p) || (s->waiting & SIGBIT(sig))) {
        sched_wake_blocked(p);
    }
}

void signal_send_process(int tgid, int sig, const struct signal_info *info)
{
    struct proc *t = signal_group_target(tgid, sig);
    if (t == NULL) {
        return;
    }
    signal_send(t, sig, info);
    if (t->signals.pending & SIGBIT(sig)) {
        t->signals.shared |= SIGBIT(sig);
    }
}

bool signal_take_shared(struct proc *p, uint64_t wanted)
{
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *t = (struct proc *)&table[i];
        if (t == p || t->tgid != p->tgid || t->state == PROC_FREE || t->state == PROC_ZOMBIE) {
            continue;
        }
        uint64_t movable = t->signals.pending & t->signals.shared & t->signals.blocked &
                           ~t->signals.waiting & wanted & ~p->signals.pending;
        if (movable) {
            int sig = lowest_signal(movable);
            p->signals.info[sig - 1] = signal_dequeue(&t->signals, sig); /* one; the rest stay */
            p->signals.pending |= SIGBIT(sig);
            p->signals.shared |= SIGBIT(sig);
            return true;
        }
    }
    return false;
}

bool signal_pending(const struct proc *p)
{
    if (p->signals.stopped) {
        return (p->signals.pending & SIGBIT(SIGKILL)) != 0; /* Linux's TASK_STOPPED */
    }
    return (p->signals.pending & ~(p->signals.blocked & ~UNBLOCKABLE)) != 0;
}

/* Runs the handler of sig with info: pushes its frame and blocks what it asks for. 0 or
 * -EFAULT. */
static int run_handler(struct proc *p, int sig, const struct signal_info *info)
{
    struct kernel_sigaction *ka = &p->sighand->actions[sig - 1];
    /* The mask sigreturn gives back: rt_sigsuspend's caller's, or the one in force now. */
    uint64_t old = p->signals.restore_saved ? p->signals.saved_blocked : p->signals.blocked;
    int err = arch_signal_frame(sig, ka, old, info, &p->signals.altstack);
    if (err != 0) {
        return err;
    }
    p->signals.restore_saved = false;
    p->signals.blocked |= (ka->mask | ((ka->flags & SA_NODEFER) ? 0 : SIGBIT(sig)));
    p->signals.blocked &= ~UNBLOCKABLE;
    if (ka->flags & SA_RESETHAND) {
        ka->handler = SIG_DFL;
    }
    return 0;
}

void signal_return_to_user(void)
{
    struct proc *p = current;
    for (;;) {
        if (p->signals.stop_pending) {
            jobctl_park(); /* until SIGCONT or SIGKILL; then the signals as usual */
            continue;
        }
        uint64_t ready = p->signals.pending & ~(p->signals.blocked & ~UNBLOCKABLE);
        int sig = lowest_signal(ready);
        if (sig == 0) {
            arch_syscall_interrupted(false, false); /* no handler ran: start the call again */
            if (p->signals.restore_saved) {
                p->signals.blocked = p->signals.saved_blocked;
                p->signals.restore_saved = false;
            }
            return;
        }
        struct signal_info info = signal_dequeue(&p->signals, sig);
        const struct kernel_sigaction *ka = &p->sighand->actions[sig - 1];
        bool init_spared = p->tgid == INIT_PID && ka->handler == SIG_DFL && !p->group_exiting;
        if (ignored(p, sig) || init_spared) {
            continue; /* init's default actions never run, even for a signal already pending */
        }
        if (ka->handler == SIG_DFL && jobctl_is_stop_signal(sig)) {
            jobctl_stop(sig); /* the loop parks this thread next */
            continue;
        }
        if (ka->handler == SIG_DFL) {
            proc_kill_current(sig, NULL); /* terminate (and "core", which is terminate here) */
        }
        arch_syscall_interrupted(true, (ka->flags & SA_RESTART) != 0);
        if (run_handler(p, sig, &info) != 0) {
            proc_kill_current(SIGSEGV, "no room for a signal frame on the stack");
        }
        return; /* one handler at a time; the rest wait for its sigreturn or the next return */
    }
}

void signal_fault(int sig, const struct signal_info *info, const char *why)
{
    struct proc *p = current;
    uint32_t handler = p->sighand->actions[sig - 1].handler;
    bool catchable = handler != SIG_DFL && handler != SIG_IGN;
    if (!catchable || (p->signals.blocked & SIGBIT(sig))) {
        /* Linux forces such a signal: a blocked or ignored fault signal ends the process. */
        proc_kill_current(sig, why);
    }
    if (run_handler(p, sig, info) != 0) {
        proc_kill_current(sig, why); /* the handler cannot even be reached */
    }
}

struct sighand *sighand_copy(const struct sighand *from)
{
    struct sighand *h = kmalloc(sizeof(*h));
    if (h == NULL) {
        return NULL;
    }
    if (from) {
        memcpy(h->actions, from->actions, sizeof(h->actions));
    } else {
        memset(h->actions, 0, sizeof(h->actions));
    }
    h->refs = 1;
    return h;
}

void sighand_put(struct sighand *h)
{
    if (h && --h->refs == 0) {
        kfree(h);
    }
}

void signal_exec(struct proc *p)
{
    p->signals.altstack = (struct signal_stack){ 0 }; /* the old program's stack is gone */
    for (int i = 0; i < SIGNAL_COUNT; i++) {
        struct kernel_sigaction *ka = &p->sighand->actions[i];
        bool keep_ignored = ka->handler == SIG_IGN;
        *ka = (struct kernel_sigaction){ .handler = keep_ignored ? SIG_IGN : SIG_DFL };
    }
}

long sys_rt_sigaction(int sig, uint32_t user_act, uint32_t user_old, uint32_t setsize)
{
    if (setsize != sizeof(uint64_t)) {
        return -EINVAL;
    }
    if (sig < 1 || sig > SIGNAL_COUNT || (user_act && (sig == SIGKILL || sig == SIGSTOP))) {
        return -EINVAL;
    }
    struct kernel_sigaction fresh;
    if (user_act && copy_from_user(&fresh, user_act, sizeof(fresh)) != 0) {
        return -EFAULT;
    }
    struct signal_state *s = &current->signals;
    struct kernel_sigaction old = current->sighand->actions[sig - 1];
    if (user_act) {
        fresh.mask &= ~UNBLOCKABLE;
        current->sighand->actions[sig - 1] = fresh;
        if (ignored(current, sig)) {
            signal_discard(s, sig); /* setting SIG_IGN discards a pending signal */
        }
    }
    if (user_old && copy_to_user(user_old, &old, sizeof(old)) != 0) {
        return -EFAULT;
    }
    return 0;
}

void signal_set_blocked(uint64_t blocked)
{
    current->signals.blocked = blocked & ~UNBLOCKABLE;
}

long sys_rt_sigprocmask(int how, uint32_t user_set, uint32_t user_old, uint32_t setsize)
{
    if (setsize != sizeof(uint64_t)) {
        return -EINVAL;
    }
    struct signal_state *s = &current->signals;
    uint64_t old = s->blocked;
    if (user_set) {
        uint64_t set;
        if (copy_from_user(&set, user_set, sizeof(set)) != 0) {
            return -EFAULT;
        }
        switch (how) {
        case SIG_BLOCK:
            signal_set_blocked(old | set);
            break;
        case SIG_UNBLOCK:
            signal_set_blocked(old & ~set);
            break;
        case SIG_SETMASK:
            signal_set_blocked(set);
            break;
        default:
            return -EINVAL;
        }
        /* Signals sent to the process that this thread now takes, from threads blocking them. */
        while (signal_take_shared(current, ~current->signals.blocked)) {
        }
    }
    if (user_old && copy_to_user(user_old, &old, sizeof(old)) != 0) {
        return -EFAULT;
    }
    return 0;
}

long sys_rt_sigpending(uint32_t user_set, uint32_t setsize)
{
    if (setsize > sizeof(uint64_t)) {
        return -EINVAL;
    }
    /* Linux's: this thread's pending signals and the process's, of those it blocks. */
    uint64_t pending = current->signals.pending;
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        const struct proc *t = &table[i];
        if (t->tgid == current->tgid && t->state != PROC_FREE && t->state != PROC_ZOMBIE) {
            pending |= t->signals.pending & t->signals.shared;
        }
    }
    pending &= current->signals.blocked;
    return copy_to_user(user_set, &pending, setsize) == 0 ? 0 : -EFAULT;
}

/*
 * Sleeps until a signal arrives that will run a handler or end the process: one that turns out
 * ignored (pending while blocked, its action meanwhile the default that ignores) is dropped and
 * the sleep goes on, as Linux's -ERESTARTNOHAND makes it.
 */
static void wait_for_handled_signal(struct proc *p)
{
    for (;;) {
        uint64_t ready = p->signals.pending & ~(p->signals.blocked & ~UNBLOCKABLE);
        for (int sig = lowest_signal(ready); sig != 0; sig = lowest_signal(ready)) {
            ready &= ~SIGBIT(sig);
            if (ignored(p, sig)) {
                signal_discard(&p->signals, sig);
            }
        }
        if (signal_pending(p)) {
            return;
        }
        sched_sleep(&p->signals);
    }
}

/* pause(2): sleeps until a signal runs a handler (then -EINTR) or ends the process. */
long sys_pause(void)
{
    wait_for_handled_signal(current);
    return -EINTR;
}

/* Waits with the mask *user_set until a signal handler has run (always -EINTR then). */
long sys_rt_sigsuspend(uint32_t user_set, uint32_t setsize)
{
    if (setsize != sizeof(uint64_t)) {
        return -EINVAL;
    }
    uint64_t set;
    if (copy_from_user(&set, user_set, sizeof(set)) != 0) {
        return -EFAULT;
    }
    struct proc *p = current;
    uint64_t saved = p->signals.blocked;
    signal_set_blocked(set);
    wait_for_handled_signal(p);
    /* The handler runs with the suspend mask; sigreturn gives back the mask saved here. */
    p->signals.saved_blocked = saved;
    p->signals.restore_saved = true;
    return -EINTR;
}

/* Sends sig to p for kill(): the permission is everyone's (one user). */
static void send_from_user(struct proc *p, int sig, int code)
{
    struct signal_info info = { .code = code, .pid = current->tgid };
    signal_send(p, sig, &info);
}

struct proc *signal_group_target(int tgid, int sig)
{
    struct proc *any = NULL;
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *t = (struct proc *)&table[i];
        if (t->state == PROC_FREE || t->state == PROC_ZOMBIE || t->tgid != tgid) {
            continue;
        }
        bool takes = sig == 0 || !(t->signals.blocked & SIGBIT(sig)) ||
                     (t->signals.waiting & SIGBIT(sig)); /* sigwait takes it: Linux unblocks */
        if (takes && t->pid == tgid) {
            return t; /* the first thread, when it can take it */
        }
        if (takes && (any == NULL || any->signals.blocked & SIGBIT(sig))) {
            any = t;
        } else if (any == NULL) {
            any = t;
        }
    }
    return any;
}

long sys_kill(int pid, int sig)
{
    if (sig < 0 || sig > SIGNAL_COUNT) {
        return -EINVAL;
    }
    if (pid == (int)0x80000000) {
        return -ESRCH; /* -pid would not fit: Linux answers so too */
    }
    int found = 0;
    const struct proc *table = proc_table();
    const struct proc *named = pid > 0 ? proc_find(pid) : NULL;
    int named_group = named ? named->tgid : 0; /* kill(tid) of any thread means its process */
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *p = (struct proc *)&table[i];
        if (p->state == PROC_FREE || p->pid != p->tgid) {
            continue; /* one entry per process: its first thread (maybe a zombie by now) */
        }
        bool chosen = pid > 0     ? p->tgid == named_group
                      : pid == 0  ? p->pgid == current->pgid
                      : pid == -1 ? p->tgid != INIT_PID && p->tgid != current->tgid
                                  : p->pgid == -pid;
        if (!chosen) {
            continue;
        }
        found++;
        if (sig) { /* a process whose threads have all ended takes no signal */
            struct signal_info info = { .code = SI_USER, .pid = current->tgid };
            signal_send_process(p->tgid, sig, &info);
        }
    }
    return found ? 0 : -ESRCH;
}

/*
 * Linux's rt_sigqueueinfo: sig with the caller's siginfo (its code, pid and value) to process
 * tgid. Checks in Linux's order: -EFAULT reading the siginfo; -EPERM for a code only the kernel
 * or kill may send (>= 0, or SI_TKILL) to anyone but oneself; -ESRCH; -EINVAL for a bad
 * signal. Signal 0 checks only. Like every signal here, it does not queue: a second one while
 * the first is pending is merged with it (Linux queues real-time signals).
 */
long sys_rt_sigqueueinfo(int tgid, int sig, uint32_t user_info)
{
    struct signal_info info;
    if (arch_siginfo_from_user(user_info, &info) != 0) {
        return -EFAULT;
    }
    if ((info.code >= 0 || info.code == SI_TKILL) && tgid != current->tgid) {
        return -EPERM; /* nobody may pretend to be the kernel or kill() */
    }
    struct proc *named = tgid > 0 ? proc_find(tgid) : NULL;
    if (named == NULL) {
        return -ESRCH;
    }
    if (sig < 0 || sig > SIGNAL_COUNT) {
        return -EINVAL;
    }
    if (sig) {
        signal_send_process(named->tgid, sig, &info);
    }
    return 0;
}

long sys_tkill(int tid, int sig)
{
    if (tid <= 0 || sig < 0 || sig > SIGNAL_COUNT) {
        return -EINVAL;
    }
    struct proc *p = proc_find(tid);
    if (p == NULL) {
        return -ESRCH;
    }
    if (sig != 0 && p->state != PROC_ZOMBIE) {
        send_from_user(p, sig, SI_TKILL);
    }
    return 0;
}

long sys_tgkill(int tgid, int tid, int sig)
{
    if (tgid <= 0) {
        return -EINVAL;
    }
    struct proc *p = tid > 0 ? proc_find(tid) : NULL;
    if (p != NULL && p->tgid != tgid) {
        return -ESRCH; /* that thread is not in that process */
    }
    return sys_tkill(tid, sig);
}

static bool on_altstack(const struct signal_stack *alt, uint32_t sp)
{
    return alt->ss_size != 0 && sp - alt->ss_sp < alt->ss_size;
}

/* Linux's sigaltstack: reports and/or sets the stack handlers with SA_ONSTACK run on. */
long sys_sigaltstack(uint32_t user_new, uint32_t user_old)
{
    struct signal_stack *alt = &current->signals.altstack;
    uint32_t sp = arch_user_stack_pointer(current->kstack_top);
    bool on = on_altstack(alt, sp);
    if (user_new) {
        struct signal_stack wanted;
        if (copy_from_user(&wanted, user_new, sizeof(wanted)) != 0) {
            return -EFAULT;
        }
        if (on) {
            return -EPERM; /* not while a handler runs on it */
        }
        uint32_t mode = (uint32_t)wanted.ss_flags & ~SS_AUTODISARM;
        if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK) {
            return -EINVAL;
        }
        if (mode == SS_DISABLE) {
            wanted = (struct signal_stack){ 0 };
        } else if (wanted.ss_size < MINSIGSTKSZ) {
            return -ENOMEM;
        }
        struct signal_stack old = *alt;
        *alt = wanted;
        alt->ss_flags = 0;
        if (user_old) {
            struct signal_stack report = old;
            report.ss_flags = old.ss_size ? 0 : SS_DISABLE;
            if (copy_to_user(user_old, &report, sizeof(report)) != 0) {
                *alt = old;
                return -EFAULT;
            }
        }
        return 0;
    }
    if (user_old) {
        struct signal_stack report = *alt;
        report.ss_flags = on ? SS_ONSTACK : alt->ss_size ? 0 : SS_DISABLE;
        return copy_to_user(user_old, &report, sizeof(report));
    }
    return 0;
}
