/*
 * Synchronous IPC on endpoints, L4's way (docs/ipc.md): call, recv, reply, reply_recv and
 * send, each decoded and checked in full before anything changes (seL4's decode, then
 * invoke). Two threads meet at an endpoint: whichever comes second moves the message across
 * (transfer) and wakes the other. The fast path is the same code with one difference: when a
 * register-only call finds its server waiting, or a register-only reply_recv finds its caller
 * waiting and nobody queued, the thread hands the CPU to its partner directly
 * (sched_handoff) instead of queueing it and going through the scheduler.
 */
#include <ipc.h>

#include <arch.h>
#include <clock.h>
#include <counters.h>
#include <endpoint.h>
#include <fd.h>
#include <file.h>
#include <heap.h>
#include <proc.h>
#include <sched.h>
#include <signal.h>
#include <syscall.h>
#include <uaccess.h>

#include <abi/errno.h>
#include <abi/fcntl.h>

/* What the fast paths return when the general code must handle a call: no call returns it. */
#define NOT_FAST (-0x7fffffffL)

/* A call's arguments, decoded and checked before anything changes. */
struct ipc_args {
    struct file *file; /* the endpoint end the call names */
    struct ipc_ext ext;
    struct file *cap;  /* IPC_SEND_CAP: the end to pass along */
    uint64_t deadline; /* the clock tick to give up at; 0: never */
};

/* Checks the struct ipc_ext at user_ext (0: register-only, no timeout) into a. */
static long decode_ext(uint32_t user_ext, struct ipc_args *a)
{
    a->ext = (struct ipc_ext){ .timeout_ms = IPC_FOREVER };
    a->cap = NULL;
    a->deadline = 0;
    if (user_ext == 0) {
        return 0;
    }
    struct ipc_ext *x = &a->ext;
    if (copy_from_user(x, user_ext, sizeof(*x)) != 0) {
        return -EFAULT;
    }
    if (x->flags & ~(IPC_SEND_CAP | IPC_SLOW)) {
        return -EINVAL;
    }
    if (x->send_len > IPC_BUF_MAX) {
        return -EMSGSIZE;
    }
    if (x->recv_max > IPC_BUF_MAX) {
        x->recv_max = IPC_BUF_MAX; /* room for more is room enough */
    }
    if (!user_range_ok(x->send_buf, x->send_len) || !user_range_ok(x->recv_buf, x->recv_max)) {
        return -EFAULT;
    }
    if (x->flags & IPC_SEND_CAP) {
        a->cap = fd_file(x->send_cap);
        if (a->cap == NULL || a->cap->endpoint == NULL) {
            return -EBADF;
        }
    }
    if (x->timeout_ms != IPC_FOREVER && x->timeout_ms != 0) {
        /* +1: the current tick is already partly over (as clock_sleep_ns). */
        a->deadline = clock_ticks() + ((uint64_t)x->timeout_ms * CLOCK_HZ + 999) / 1000 + 1;
    }
    return 0;
}

/* decode_ext, and the descriptor fd must be an endpoint end of type end. A call that
 * receives also faults in its receive buffer now, so a bad one fails before any message is
 * taken (a caller's message would otherwise be lost with it). */
static long decode(int fd, enum file_type end, bool receives, uint32_t user_ext, struct ipc_args *a)
{
    a->file = fd_file(fd);
    if (a->file == NULL || a->file->type != end) {
        return -EBADF;
    }
    long err = decode_ext(user_ext, a);
    if (err == 0 && receives && a->ext.recv_max > 0) {
        err = user_prepare_write(a->ext.recv_buf, a->ext.recv_max);
    }
    return err;
}

/* The outgoing message: the registers, a kernel copy of the long part, a reference to the
 * capability. 0, or -ENOMEM/-EFAULT with nothing held. */
static long stage(const struct ipc_args *a, uint32_t label, uint32_t w0, uint32_t w1, uint32_t w2,
                  struct ipc_message *m)
{
    *m = (struct ipc_message){ .label = label, .words = { w0, w1, w2 } };
    if (a->ext.send_len) {
        m->buf = kmalloc(a->ext.send_len);
        if (m->buf == NULL) {
            return -ENOMEM;
        }
        if (copy_from_user(m->buf, a->ext.send_buf, a->ext.send_len) != 0) {
            kfree(m->buf);
            m->buf = NULL;
            return -EFAULT;
        }
        m->len = a->ext.send_len;
    }
    if (a->cap) {
        file_ref(a->cap);
        m->cap = a->cap;
    }
    return 0;
}

/* decode, then stage: what every sending call starts with. */
static long decode_and_stage(int fd, enum file_type end, bool receives, uint32_t user_ext,
                             struct ipc_args *a, uint32_t label, uint32_t w0, uint32_t w1,
                             uint32_t w2, struct ipc_message *m)
{
    long err = decode(fd, end, receives, user_ext, a);
    return err ? err : stage(a, label, w0, w1, w2, m);
}

/* Drops what a message holds (a message that was never delivered). */
static void release(struct ipc_message *m)
{
    if (m->buf) {
        kfree(m->buf);
        m->buf = NULL;
        m->len = 0;
    }
    if (m->cap) {
        file_close(m->cap);
        m->cap = NULL;
    }
}

static bool register_only(const struct ipc_message *m, const struct ipc_args *a)
{
    return m->buf == NULL && m->cap == NULL && !(a->ext.flags & IPC_SLOW);
}

/* Ends p's wait with result (p runs again when woken or switched to). */
static void finish_wait(struct proc *p, int result)
{
    p->ipc.wait = IPC_DONE;
    p->ipc.result = result;
}

/* Moves message m from sender s to receiver r (neither is queued any more): r's receive ends
 * with s's pid; for a call, r now holds the reply right to s and s waits for the reply. */
static void transfer(struct proc *s, struct proc *r, struct ipc_message *m, bool calling)
{
    r->ipc.msg = *m;
    *m = (struct ipc_message){ 0 };
    finish_wait(r, s->tgid);
    if (calling) {
        r->ipc.has_reply_right = true;
        r->ipc.reply_to = s;
        s->ipc.replier = r;
        s->ipc.wait = IPC_AWAIT_REPLY;
    } else {
        finish_wait(s, 0);
    }
}

/* Gives up me's reply right: the caller, if it still waits, gets error. */
static void drop_reply_right(struct proc *me, int error)
{
    struct proc *c = me->ipc.reply_to;
    me->ipc.has_reply_right = false;
    me->ipc.reply_to = NULL;
    if (c) {
        c->ipc.replier = NULL;
        finish_wait(c, error);
        sched_wake_blocked(c);
    }
}

/*
 * Sleeps while me->ipc.wait is state. With next, the CPU goes straight to next first (the
 * fast path). Returns 0 when the state changed, -ERESTARTSYS for a signal, -ETIMEDOUT at the
 * deadline (0: none); the caller then undoes its part.
 */
static long wait_while(struct proc *me, enum ipc_wait state, uint64_t deadline, struct proc *next)
{
    if (next) {
        event_counters.ipc_fast_paths++;
        me->wake_tick = deadline;
        sched_handoff(next, &me->ipc);
        me->wake_tick = 0;
    }
    while (me->ipc.wait == state) {
        if (signal_pending(me)) {
            return -ERESTARTSYS;
        }
        if (deadline && clock_ticks() >= deadline) {
            return -ETIMEDOUT;
        }
        me->wake_tick = deadline;
        sched_sleep(&me->ipc);
        me->wake_tick = 0;
    }
    return 0;
}

void ipc_fail_sender(struct proc *p, int error)
{
    ipc_queue_remove(&p->ipc.queued_on->senders, p);
    p->ipc.queued_on = NULL;
    finish_wait(p, error);
    sched_wake_blocked(p);
}

void ipc_exit(struct proc *p)
{
    drop_reply_right(p, -EPIPE);
    release(&p->ipc.msg);
    p->ipc.wait = IPC_IDLE;
}

/*
 * The sending half of send and call for me, with message m, on the send end a->file. Returns
 * 0 when the message was taken (a call then waits for its reply) with *taker set to the
 * receiver when it was waiting (to be woken or switched to); or -errno, m still me's.
 */
static long send_phase(struct proc *me, const struct ipc_args *a, struct ipc_message *m,
                       bool calling, struct proc **taker)
{
    struct endpoint *ep = a->file->endpoint;
    *taker = NULL;
    if (endpoint_dead(ep)) {
        return -EPIPE;
    }
    struct proc *r = ep->receivers.head;
    if (r) {
        if (m->len > r->ipc.recv_max) {
            return -EMSGSIZE;
        }
        ipc_queue_remove(&ep->receivers, r);
        r->ipc.queued_on = NULL;
        transfer(me, r, m, calling);
        *taker = r;
        return 0;
    }
    if (a->ext.timeout_ms == 0) {
        return -EAGAIN;
    }
    me->ipc.msg = *m;
    *m = (struct ipc_message){ 0 };
    me->ipc.calling = calling;
    me->ipc.wait = IPC_SENDING;
    me->ipc.queued_on = ep;
    ipc_queue_add(&ep->senders, me);
    long err = wait_while(me, IPC_SENDING, a->deadline, NULL);
    if (err) {
        ipc_queue_remove(&ep->senders, me); /* still queued: nothing happened */
        me->ipc.queued_on = NULL;
    } else if (me->ipc.wait == IPC_DONE && me->ipc.result < 0) {
        err = me->ipc.result; /* the endpoint died, or the receiver had too little room */
    }
    if (err) {
        *m = me->ipc.msg;
        me->ipc.msg = (struct ipc_message){ 0 };
    }
    return err;
}

/* Queues me as a receiver on a->file's endpoint and waits for a sender (switching to next
 * first, when given). Returns the sender's pid, the message in me->ipc.msg, or -errno. */
static long recv_wait(struct proc *me, const struct ipc_args *a, struct proc *next)
{
    struct endpoint *ep = a->file->endpoint;
    me->ipc.wait = IPC_RECEIVING;
    me->ipc.queued_on = ep;
    ipc_queue_add(&ep->receivers, me);
    long err = wait_while(me, IPC_RECEIVING, a->deadline, next);
    if (err) {
        ipc_queue_remove(&ep->receivers, me);
        me->ipc.queued_on = NULL;
        return err;
    }
    return me->ipc.result;
}

/*
 * The receiving half of recv and reply_recv for me on the receive end a->file: takes the
 * first queued sender's message, or waits for one, switching straight to next (a caller just
 * answered) when it must wait. Returns the sender's pid, the message in me->ipc.msg, or -errno.
 */
static long recv_phase(struct proc *me, const struct ipc_args *a, struct proc *next)
{
    struct endpoint *ep = a->file->endpoint;
    drop_reply_right(me, -EPIPE); /* one-shot: receiving again gives up an unanswered call */
    me->ipc.recv_max = a->ext.recv_max;
    struct proc *s;
    while ((s = ep->senders.head) != NULL) {
        if (s->ipc.msg.len > me->ipc.recv_max) {
            ipc_fail_sender(s, -EMSGSIZE);
            continue;
        }
        ipc_queue_remove(&ep->senders, s);
        s->ipc.queued_on = NULL;
        bool calling = s->ipc.calling;
        transfer(s, me, &s->ipc.msg, calling);
        if (!calling) {
            sched_wake_blocked(s); /* a send is over; a caller sleeps on until the reply */
        }
        break;
    }
    if (s || a->ext.timeout_ms == 0) {
        if (next) {
            sched_wake_blocked(next);
        }
        return s ? me->ipc.result : -EAGAIN;
    }
    return recv_wait(me, a, next);
}

/* Stores the message that came to me in its memory (the long part at ext.recv_buf, the
 * capability in the lowest free descriptor) and in the registers the call returns with.
 * Returns 0, or -EFAULT/-EMFILE when the message could not be stored (it is dropped). */
static long deliver(struct proc *me, const struct ipc_args *a)
{
    struct ipc_message *m = &me->ipc.msg;
    if (m->buf == NULL && m->cap == NULL) { /* registers only: nothing can fail */
        arch_ipc_set_outputs(me->kstack_top, m->label, m->words, 0, (uint32_t)-1);
        return 0;
    }
    long err = 0;
    uint32_t fd = (uint32_t)-1;
    if (m->len && copy_to_user(a->ext.recv_buf, m->buf, m->len) != 0) {
        err = -EFAULT;
    }
    if (err == 0 && m->cap) {
        int got = fd_install(m->cap, 0, false);
        if (got < 0) {
            err = got;
        } else {
            m->cap = NULL; /* the reference now belongs to the descriptor */
            fd = (uint32_t)got;
        }
    }
    if (err == 0) {
        arch_ipc_set_outputs(me->kstack_top, m->label, m->words, m->len, fd);
    }
    release(m);
    return err;
}

/* The end of every receiving call: the message stored, or the caller told it is lost. */
static long finish_receive(struct proc *me, const struct ipc_args *a, long result)
{
    if (result >= 0) {
        long err = deliver(me, a);
        if (err) {
            drop_reply_right(me, -EPIPE);
            result = err;
        }
    }
    me->ipc.wait = IPC_IDLE;
    file_close(a->file);
    return result;
}

long sys_ipc_endpoint(uint32_t user_fds, int flags)
{
    if (flags & ~O_CLOEXEC) {
        return -EINVAL;
    }
    struct file *ends[2];
    if (endpoint_new(ends) != 0) {
        return -ENOMEM;
    }
    return fd_install_pair(ends, (flags & O_CLOEXEC) != 0, user_fds);
}

long sys_ipc_send(int cap, uint32_t label, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t user_ext)
{
    struct proc *me = current;
    struct ipc_args a;
    struct ipc_message m;
    long err =
        decode_and_stage(cap, FILE_ENDPOINT_SEND, false, user_ext, &a, label, w0, w1, w2, &m);
    if (err) {
        return err;
    }
    file_ref(a.file);
    struct proc *taker;
    err = send_phase(me, &a, &m, false, &taker);
    if (taker) {
        sched_wake_blocked(taker);
    }
    release(&m);
    me->ipc.wait = IPC_IDLE;
    file_close(a.file);
    return err;
}

/* The second half of a call whose message was taken: waits for the reply (switching to next
 * first, when given) and stores it. */
static long await_reply(struct proc *me, const struct ipc_args *a, struct proc *next)
{
    if (wait_while(me, IPC_AWAIT_REPLY, 0, next) != 0) {
        /* A signal: the server has the call, so it is not restarted. Its reply right now
         * finds nobody (-ESRCH). */
        if (me->ipc.replier) {
            me->ipc.replier->ipc.reply_to = NULL;
            me->ipc.replier = NULL;
        }
        me->ipc.wait = IPC_IDLE;
        file_close(a->file);
        return -EINTR;
    }
    return finish_receive(me, a, me->ipc.result < 0 ? me->ipc.result : 0);
}

/* A register-only call (no ext) to a server that waits, blocked, on the endpoint: the
 * rendezvous of send_phase and transfer, written out for this one case, then a direct switch
 * (seL4's fastpath_call). Returns NOT_FAST when the general code must take the call. */
static long fast_call(struct proc *me, int cap, uint32_t label, uint32_t w0, uint32_t w1,
                      uint32_t w2)
{
    struct file *f = fd_file(cap);
    if (f == NULL || f->type != FILE_ENDPOINT_SEND) {
        return NOT_FAST;
    }
    struct ipc_queue *q = &f->endpoint->receivers;
    struct proc *r = q->head;
    if (r == NULL || r->state != PROC_BLOCKED) { /* (a pending signal: sched_handoff) */
        return NOT_FAST;
    }
    q->head = r->ipc.queue_next;
    if (q->head == NULL) {
        q->tail = NULL;
    }
    r->ipc.queued_on = NULL;
    r->ipc.msg.label = label; /* a waiting receiver's message is empty */
    r->ipc.msg.words[0] = w0;
    r->ipc.msg.words[1] = w1;
    r->ipc.msg.words[2] = w2;
    r->ipc.result = me->tgid;
    r->ipc.wait = IPC_DONE;
    r->ipc.has_reply_right = true;
    r->ipc.reply_to = me;
    me->ipc.replier = r;
    me->ipc.wait = IPC_AWAIT_REPLY;
    me->ipc.recv_max = 0;
    file_ref(f);
    const struct ipc_args a = { .file = f, .ext = { .timeout_ms = IPC_FOREVER } };
    return await_reply(me, &a, r);
}

long sys_ipc_call(int cap, uint32_t label, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t user_ext)
{
    struct proc *me = current;
    if (user_ext == 0) {
        long r = fast_call(me, cap, label, w0, w1, w2);
        if (r != NOT_FAST) {
            return r;
        }
    }
    struct ipc_args a;
    struct ipc_message m;
    long err = decode_and_stage(cap, FILE_ENDPOINT_SEND, true, user_ext, &a, label, w0, w1, w2, &m);
    if (err) {
        return err;
    }
    file_ref(a.file);
    me->ipc.recv_max = a.ext.recv_max; /* room for the reply */
    bool fast = register_only(&m, &a);
    struct proc *taker;
    err = send_phase(me, &a, &m, true, &taker);
    if (err) {
        release(&m);
        me->ipc.wait = IPC_IDLE;
        file_close(a.file);
        return err;
    }
    struct proc *next = fast && taker && taker->state == PROC_BLOCKED ? taker : NULL;
    if (taker && next == NULL) {
        sched_wake_blocked(taker);
    }
    return await_reply(me, &a, next);
}

long sys_ipc_recv(int cap, uint32_t label, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t user_ext)
{
    (void)label, (void)w0, (void)w1, (void)w2;
    struct proc *me = current;
    struct ipc_args a;
    long err = decode(cap, FILE_ENDPOINT_RECV, true, user_ext, &a);
    if (err) {
        return err;
    }
    file_ref(a.file);
    return finish_receive(me, &a, recv_phase(me, &a, NULL));
}

/* Sends the reply m to the caller me holds the reply right for and gives up the right.
 * Returns 0 with *caller set, -ESRCH when the caller has given up (m stays me's), or
 * -EMSGSIZE when the reply does not fit the caller's buffer (the right is kept). */
static long answer(struct proc *me, struct ipc_message *m, struct proc **caller)
{
    struct proc *c = me->ipc.reply_to;
    *caller = NULL;
    if (c && m->len > c->ipc.recv_max) {
        return -EMSGSIZE;
    }
    me->ipc.has_reply_right = false;
    me->ipc.reply_to = NULL;
    if (c == NULL) {
        return -ESRCH;
    }
    c->ipc.msg = *m;
    *m = (struct ipc_message){ 0 };
    c->ipc.replier = NULL;
    finish_wait(c, 0);
    *caller = c;
    return 0;
}

long sys_ipc_reply(int cap, uint32_t label, uint32_t w0, uint32_t w1, uint32_t w2,
                   uint32_t user_ext)
{
    (void)cap; /* a reply names no endpoint: it goes where the reply right points */
    struct proc *me = current;
    if (!me->ipc.has_reply_right) {
        return -EPERM;
    }
    struct ipc_args a;
    struct ipc_message m;
    long err = decode_ext(user_ext, &a);
    if (err == 0) {
        err = stage(&a, label, w0, w1, w2, &m);
    }
    if (err) {
        return err;
    }
    struct proc *c;
    err = answer(me, &m, &c);
    if (c) {
        sched_wake_blocked(c);
    }
    release(&m);
    return err;
}

/* A register-only reply_recv (no ext) answering a caller that waits, blocked, with nobody
 * queued on the endpoint: the reply, then a direct switch to the caller while this thread
 * waits for the next message (seL4's fastpath_reply_recv). Returns NOT_FAST when the general
 * code must take it. */
static long fast_reply_recv(struct proc *me, int cap, uint32_t label, uint32_t w0, uint32_t w1,
                            uint32_t w2)
{
    struct file *f = fd_file(cap);
    struct proc *c = me->ipc.reply_to;
    if (f == NULL || f->type != FILE_ENDPOINT_RECV || c == NULL || !me->ipc.has_reply_right ||
        c->state != PROC_BLOCKED || f->endpoint->senders.head) {
        return NOT_FAST;
    }
    c->ipc.msg.label = label; /* a waiting caller's message is empty */
    c->ipc.msg.words[0] = w0;
    c->ipc.msg.words[1] = w1;
    c->ipc.msg.words[2] = w2;
    c->ipc.replier = NULL;
    c->ipc.result = 0;
    c->ipc.wait = IPC_DONE;
    me->ipc.has_reply_right = false;
    me->ipc.reply_to = NULL;
    me->ipc.recv_max = 0;
    arch_syscall_restart_as(me->kstack_top, SYS_ipc_recv); /* as in the general code */
    file_ref(f);
    const struct ipc_args a = { .file = f, .ext = { .timeout_ms = IPC_FOREVER } };
    return finish_receive(me, &a, recv_wait(me, &a, c));
}

long sys_ipc_reply_recv(int cap, uint32_t label, uint32_t w0, uint32_t w1, uint32_t w2,
                        uint32_t user_ext)
{
    struct proc *me = current;
    if (user_ext == 0) {
        long r = fast_reply_recv(me, cap, label, w0, w1, w2);
        if (r != NOT_FAST) {
            return r;
        }
    }
    struct ipc_args a;
    struct ipc_message m;
    long err = decode_and_stage(cap, FILE_ENDPOINT_RECV, true, user_ext, &a, label, w0, w1, w2, &m);
    if (err) {
        return err;
    }
    bool fast = register_only(&m, &a);
    struct proc *c = NULL;
    /* Without a reply right (the last message was a send, or nothing came yet) or with a
     * caller that gave up, the reply part does nothing, as seL4's ReplyRecv. */
    if (me->ipc.has_reply_right && answer(me, &m, &c) == -EMSGSIZE) {
        release(&m);
        return -EMSGSIZE; /* nothing happened: the server may answer again */
    }
    release(&m);
    /* Answered: from here on this is a recv, and a signal restarts it as one, not as a
     * second reply. */
    arch_syscall_restart_as(me->kstack_top, SYS_ipc_recv);
    file_ref(a.file);
    struct proc *next = fast && c && c->state == PROC_BLOCKED ? c : NULL;
    if (c && next == NULL) {
        sched_wake_blocked(c);
    }
    return finish_receive(me, &a, recv_phase(me, &a, next));
}
