#pragma once
/*
 * Synchronous IPC on endpoints (docs/ipc.md). An endpoint has a receive end and a send end,
 * both descriptors (ipc_endpoint, like pipe). A message is a label, IPC_WORDS words and,
 * through a struct ipc_ext, a long part of up to IPC_BUF_MAX bytes and one capability (an
 * endpoint end). Every function returns -1 with errno on failure.
 */
#include <sys/cdefs.h>
#include <stdint.h>
#include <abi/ipc.h>

/* A message in registers, and what came back: len and cap are filled in on receipt. */
struct ipc_msg {
    uint32_t label;
    uint32_t w[IPC_WORDS];
    uint32_t len; /* out: bytes of the long message stored at ext->recv_buf */
    int cap;      /* out: the descriptor of the capability received, or -1 */
};

__BEGIN_DECLS
/* A new endpoint: fds[0] its receive end, fds[1] its send end. flags: O_CLOEXEC or 0. */
int ipc_endpoint(int *fds, int flags);

/* Sends m on send end ep and waits for the reply, which replaces *m. ext may be NULL. 0. */
long ipc_call(int ep, struct ipc_msg *m, const struct ipc_ext *ext);

/* Waits for a message on receive end ep into *m; returns the sender's pid. */
long ipc_recv(int ep, struct ipc_msg *m, const struct ipc_ext *ext);

/* Answers the last call received (the one-shot reply right) with m. 0. */
long ipc_reply(const struct ipc_msg *m, const struct ipc_ext *ext);

/* ipc_reply with *m, then ipc_recv into *m: a server's loop in one call. The sender's pid. */
long ipc_reply_recv(int ep, struct ipc_msg *m, const struct ipc_ext *ext);

/* Sends m on send end ep without waiting for a reply. 0. */
long ipc_send(int ep, const struct ipc_msg *m, const struct ipc_ext *ext);

/* The name service (descriptor IPC_NAMES_FD, given by the kernel with names=NAME): */
#define NS_REGISTER 1 /* name in w[0..2], the send end passed along: label 0 or -errno back */
#define NS_LOOKUP   2 /* name in w[0..2]: label 0 and the send end back, or -ENOENT */
#define NS_NAME_MAX (IPC_WORDS * 4) /* a name fits the three words (NUL-padded) */

/* Registers the send end ep under name. 0, or -1 with errno. */
int ns_register(const char *name, int ep);

/* The send end registered under name (a new descriptor), waiting up to about five seconds
 * for it to be registered. -1 with errno (ENOENT) when it never is. */
int ns_lookup(const char *name);

/*
 * A server's whole life: makes an endpoint, registers its send end under name and serves from
 * one reply_recv loop. handle gets each message in *m (its long part, m->len bytes, in buf of
 * size bytes) and turns *m and *ext into the reply (ext->send_buf and send_len for a long
 * one). A reply the caller has no room for goes back as label -EMSGSIZE instead. When handle
 * returns non-zero, that reply is sent and ns_serve returns 0; -1 with errno when the
 * endpoint cannot be made or registered, or receiving fails.
 */
int ns_serve(const char *name, void *buf, uint32_t size,
             int (*handle)(struct ipc_msg *m, struct ipc_ext *ext));
__END_DECLS
