/* The IPC calls (<sys/ipc.h>) and the name service's client side. */
#include <sys/ipc.h>

#include <errno.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

long __ipc_trap(long number, int cap, struct ipc_msg *m, const struct ipc_ext *ext, int store);

long ipc_call(int ep, struct ipc_msg *m, const struct ipc_ext *ext)
{
    return __syscall_result(__ipc_trap(SYS_ipc_call, ep, m, ext, 1));
}

long ipc_recv(int ep, struct ipc_msg *m, const struct ipc_ext *ext)
{
    return __syscall_result(__ipc_trap(SYS_ipc_recv, ep, m, ext, 1));
}

long ipc_reply(const struct ipc_msg *m, const struct ipc_ext *ext)
{
    return __syscall_result(__ipc_trap(SYS_ipc_reply, 0, (struct ipc_msg *)m, ext, 0));
}

long ipc_reply_recv(int ep, struct ipc_msg *m, const struct ipc_ext *ext)
{
    return __syscall_result(__ipc_trap(SYS_ipc_reply_recv, ep, m, ext, 1));
}

long ipc_send(int ep, const struct ipc_msg *m, const struct ipc_ext *ext)
{
    return __syscall_result(__ipc_trap(SYS_ipc_send, ep, (struct ipc_msg *)m, ext, 0));
}

/* A name server request: the name, NUL-padded, in the three words. */
static int name_message(struct ipc_msg *m, uint32_t label, const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > NS_NAME_MAX) {
        errno = EINVAL;
        return -1;
    }
    *m = (struct ipc_msg){ .label = label };
    memcpy(m->w, name, n);
    return 0;
}

int ns_register(const char *name, int ep)
{
    struct ipc_msg m;
    struct ipc_ext ext = { .timeout_ms = IPC_FOREVER, .flags = IPC_SEND_CAP, .send_cap = ep };
    if (name_message(&m, NS_REGISTER, name) != 0 || ipc_call(IPC_NAMES_FD, &m, &ext) != 0) {
        return -1;
    }
    if ((int32_t)m.label < 0) {
        errno = -(int32_t)m.label;
        return -1;
    }
    return 0;
}

int ns_lookup(const char *name)
{
    for (int tries = 0; tries < 500; tries++) {
        struct ipc_msg m;
        if (name_message(&m, NS_LOOKUP, name) != 0 || ipc_call(IPC_NAMES_FD, &m, NULL) != 0) {
            return -1;
        }
        if (m.label == 0 && m.cap >= 0) {
            return m.cap;
        }
        usleep(10000); /* not registered yet: servers start in module order */
    }
    errno = ENOENT;
    return -1;
}

int ns_serve(const char *name, void *buf, uint32_t size,
             int (*handle)(struct ipc_msg *m, struct ipc_ext *ext))
{
    int ep[2];
    if (ipc_endpoint(ep, 0) != 0) {
        return -1;
    }
    if (ns_register(name, ep[1]) != 0) {
        close(ep[0]);
        close(ep[1]);
        return -1;
    }
    struct ipc_msg m = { 0 };
    struct ipc_ext ext = { .timeout_ms = IPC_FOREVER };
    for (;;) {
        ext = (struct ipc_ext){ .timeout_ms = IPC_FOREVER,
                                .send_buf = ext.send_buf,
                                .send_len = ext.send_len,
                                .recv_buf = (uint32_t)buf,
                                .recv_max = size };
        /* The first pass holds no reply right, so it only receives. */
        if (ipc_reply_recv(ep[0], &m, &ext) < 0) {
            if (errno != EMSGSIZE) {
                return -1;
            }
            m = (struct ipc_msg){ .label = (uint32_t)-EMSGSIZE }; /* the caller had no room */
            ext.send_len = 0;
            continue;
        }
        ext.send_len = 0;
        if (handle(&m, &ext) != 0) {
            ipc_reply(&m, &ext);
            close(ep[0]);
            close(ep[1]);
            return 0;
        }
    }
}
