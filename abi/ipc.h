#pragma once
/*
 * Synchronous IPC on endpoints (docs/ipc.md): what the kernel and programs share.
 *
 * Registers, in: eax = the call's number, ebx = the endpoint's descriptor, ecx = the label,
 * edx, esi, edi = three message words, ebp = a struct ipc_ext (0: register-only, no timeout).
 * Out, when a message arrives (call, recv, reply_recv succeed): eax = the result, ebx = the
 * label, edx, esi, edi = the words, ecx = the length of the long message stored at
 * ext->recv_buf (0: none), ebp = the descriptor of the capability received (-1: none).
 */
#include <stdint.h>

#define IPC_WORDS   3           /* message words beside the label */
#define IPC_BUF_MAX 1024u       /* the longest long message, in bytes */
#define IPC_FOREVER 0xffffffffu /* timeout_ms: wait as long as it takes */

/* ext->flags */
#define IPC_SEND_CAP 0x1u /* send_cap names a descriptor (an endpoint end) to pass along */
#define IPC_SLOW     0x2u /* never the fast path: for the tests and the benchmark */

/* The descriptor a program started with names=NAME finds the name service at (docs/ipc.md). */
#define IPC_NAMES_FD 3

/* Everything a message may carry beyond its registers, and how long to wait. */
struct ipc_ext {
    uint32_t timeout_ms; /* IPC_FOREVER, 0 (never wait: -EAGAIN), or milliseconds */
    uint32_t flags;      /* IPC_SEND_CAP, IPC_SLOW */
    uint32_t send_buf;   /* a long message to send: its user address ... */
    uint32_t send_len;   /* ... and length, at most IPC_BUF_MAX (0: none) */
    int32_t send_cap;    /* with IPC_SEND_CAP: the endpoint descriptor to pass along */
    uint32_t recv_buf;   /* where a long message received goes ... */
    uint32_t recv_max;   /* ... and how much room it has (0: no long messages) */
};
