#pragma once
/*
 * Synchronous IPC (docs/ipc.md): each thread's part in it. A message is a label, IPC_WORDS
 * words and, in the slow path, a long message staged in a kernel buffer and one capability
 * (an endpoint end) in flight. Messages move from thread to thread at the rendezvous; the
 * receiving thread copies the long part into its own memory when it runs, with the ordinary
 * checked user copies. A thread that received a call holds the one-shot reply right to that
 * caller: the only way a reply reaches anybody.
 */
#include <stdbool.h>
#include <stdint.h>

#include <abi/ipc.h>

struct proc;
struct file;
struct endpoint;

struct ipc_message {
    uint32_t label;
    uint32_t words[IPC_WORDS];
    void *buf; /* the long part, a kernel copy (kmalloc), or NULL */
    uint32_t len;
    struct file *cap; /* a capability in flight (one reference), or NULL */
};

enum ipc_wait {
    IPC_IDLE,
    IPC_SENDING,     /* queued on an endpoint's senders, msg is the outgoing message */
    IPC_RECEIVING,   /* queued on an endpoint's receivers */
    IPC_AWAIT_REPLY, /* a call was received; the replier holds our reply right */
    IPC_DONE,        /* finished by another thread: result, and msg when it is >= 0 */
};

struct ipc_state {
    enum ipc_wait wait;
    struct endpoint *queued_on;
    struct proc *queue_next; /* endpoint.c's queues */
    bool calling;            /* the queued message is a call: its receiver gets a reply right */
    struct ipc_message msg;
    int result;            /* IPC_DONE: the sender's pid, 0, or -errno */
    uint32_t recv_max;     /* the longest long message this thread takes now */
    bool has_reply_right;  /* it received a call it has not answered */
    struct proc *reply_to; /* ... from this caller (NULL: the caller has given up) */
    struct proc *replier;  /* IPC_AWAIT_REPLY: the thread holding our reply right */
};

/* Wakes the queued sender p with error (endpoint death: -EPIPE) and takes it off its queue. */
void ipc_fail_sender(struct proc *p, int error);

/* The thread p ends or execs: an unanswered call it holds fails with -EPIPE. */
void ipc_exit(struct proc *p);
