/*
 * names: the name server. The kernel gives it the receive end of the name service endpoint
 * (names=names on its command line, descriptor IPC_NAMES_FD); every other module gets the
 * send end. Servers register their send end under a name; clients look a name up and get a
 * copy of that send end back in the reply (capability transfer).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/servers/protocol.h"

#define MAX_NAMES 16

static struct {
    char name[NS_NAME_MAX];
    int ep; /* -1: a free entry */
} table[MAX_NAMES];

static int find(const uint32_t *words)
{
    for (int i = 0; i < MAX_NAMES; i++) {
        if (table[i].ep >= 0 && memcmp(table[i].name, words, NS_NAME_MAX) == 0) {
            return i;
        }
    }
    return -1;
}

/* Stores the capability m->cap under the name in m->w; the reply's label. */
static int enter(const struct ipc_msg *m)
{
    if (m->cap < 0) {
        return -EINVAL;
    }
    int i = find(m->w);
    if (i >= 0) {
        close(table[i].ep); /* a server that starts again replaces its old entry */
    } else {
        for (i = 0; i < MAX_NAMES && table[i].ep >= 0; i++) {
        }
        if (i == MAX_NAMES) {
            close(m->cap);
            return -ENOMEM;
        }
    }
    memcpy(table[i].name, m->w, NS_NAME_MAX);
    table[i].ep = m->cap;
    printf("names: registered %.12s\n", table[i].name);
    return 0;
}

int main(void)
{
    for (int i = 0; i < MAX_NAMES; i++) {
        table[i].ep = -1;
    }
    struct ipc_msg m = { 0 };
    struct ipc_ext ext = { .timeout_ms = IPC_FOREVER };
    for (;;) {
        /* The first pass has no reply right, so reply_recv only receives. */
        if (ipc_reply_recv(IPC_NAMES_FD, &m, &ext) < 0) {
            printf("names: receive failed: %s\n", strerror(errno));
            return 1;
        }
        ext = (struct ipc_ext){ .timeout_ms = IPC_FOREVER };
        int i;
        switch (m.label) {
        case NS_REGISTER:
            m = (struct ipc_msg){ .label = (uint32_t)enter(&m) };
            break;
        case NS_LOOKUP:
            i = find(m.w);
            m = (struct ipc_msg){ .label = i >= 0 ? 0 : (uint32_t)-ENOENT };
            if (i >= 0) {
                ext.flags = IPC_SEND_CAP;
                ext.send_cap = table[i].ep;
            }
            break;
        case SERVER_QUIT:
            ipc_reply(&(struct ipc_msg){ 0 }, NULL);
            printf("names: quit\n");
            return 0;
        default:
            if (m.cap >= 0) {
                close(m.cap);
            }
            m = (struct ipc_msg){ .label = (uint32_t)-ENOSYS };
            break;
        }
    }
}
