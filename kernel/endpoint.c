/*
 * Endpoints: creating one with its two ends, the queues of threads blocked on it, and its
 * death when the last receive end is closed. The message passing itself is in ipc.c.
 */
#include <endpoint.h>

#include <file.h>
#include <heap.h>
#include <ipc.h>
#include <proc.h>

#include <abi/errno.h>

static unsigned live;

int endpoint_new(struct file *ends[2])
{
    struct endpoint *ep = kcalloc(1, sizeof(*ep));
    struct file *r = file_new(FILE_ENDPOINT_RECV);
    struct file *s = file_new(FILE_ENDPOINT_SEND);
    if (!ep || !r || !s) {
        kfree(ep);
        kfree(r);
        kfree(s);
        return -ENOMEM;
    }
    ep->files = 2;
    ep->receive_ends = 1;
    r->endpoint = s->endpoint = ep;
    ends[0] = r;
    ends[1] = s;
    live++;
    return 0;
}

bool endpoint_dead(const struct endpoint *ep)
{
    return ep->receive_ends == 0;
}

void endpoint_end_closed(struct endpoint *ep, bool receive_end)
{
    if (receive_end && --ep->receive_ends == 0) {
        while (ep->senders.head) {
            ipc_fail_sender(ep->senders.head, -EPIPE); /* dequeues it */
        }
    }
    if (--ep->files == 0) {
        kfree(ep); /* no thread waits on it: each holds a file of it while it waits */
        live--;
    }
}

void ipc_queue_add(struct ipc_queue *q, struct proc *p)
{
    p->ipc.queue_next = NULL;
    if (q->tail) {
        q->tail->ipc.queue_next = p;
    } else {
        q->head = p;
    }
    q->tail = p;
}

void ipc_queue_remove(struct ipc_queue *q, struct proc *p)
{
    struct proc *prev = NULL;
    for (struct proc *t = q->head; t; prev = t, t = t->ipc.queue_next) {
        if (t != p) {
            continue;
        }
        if (prev) {
            prev->ipc.queue_next = t->ipc.queue_next;
        } else {
            q->head = t->ipc.queue_next;
        }
        if (q->tail == t) {
            q->tail = prev;
        }
        t->ipc.queue_next = NULL;
        return;
    }
}

unsigned endpoint_live_count(void)
{
    return live;
}
