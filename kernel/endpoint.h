#pragma once
/*
 * Endpoints: the kernel objects synchronous IPC meets on (docs/ipc.md). An endpoint has two
 * kinds of open file, as a pipe has: receive ends and send ends, which live in descriptor
 * tables and so are shared by dup and fork, kept across exec and closed like any descriptor.
 * An endpoint holds no messages, only the threads blocked on it: senders (send and call) and
 * receivers, each in a first-come, first-served queue. When its last receive end is closed the
 * endpoint is dead: queued senders and every later sender get -EPIPE.
 */
#include <stdbool.h>

struct proc;
struct file;

/* A queue of blocked threads, linked through proc.ipc.queue_next. */
struct ipc_queue {
    struct proc *head;
    struct proc *tail;
};

struct endpoint {
    unsigned files;        /* open files (either end) that refer to it */
    unsigned receive_ends; /* open receive ends: none left means dead */
    struct ipc_queue senders;
    struct ipc_queue receivers;
};

/*
 * A new endpoint and its two ends, one reference each, in ends[0] (receive) and ends[1]
 * (send). Returns 0 or -ENOMEM (nothing allocated then).
 */
int endpoint_new(struct file *ends[2]);

/* Called by file_close for the last reference to an end: the endpoint dies with its last
 * receive end (its queued senders are woken with -EPIPE) and is freed with its last file. */
void endpoint_end_closed(struct endpoint *ep, bool receive_end);

/* Whether no receive end is open any more. */
bool endpoint_dead(const struct endpoint *ep);

/* Queue operations. The caller owns the thread's ipc state. */
void ipc_queue_add(struct ipc_queue *q, struct proc *p);
void ipc_queue_remove(struct ipc_queue *q, struct proc *p);

/* Endpoints that exist now (for the leak line at power-off). */
unsigned endpoint_live_count(void);
