/*
 * counter: an example server. It registers with the name server as "counter" and serves
 * from one reply_recv loop (ns_serve): COUNTER_ADD keeps a running total, COUNTER_ECHO sends
 * the message back, long part included.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "user/servers/protocol.h"

static char buf[IPC_BUF_MAX];
static uint32_t total, calls;

static int handle(struct ipc_msg *m, struct ipc_ext *ext)
{
    calls++;
    switch (m->label) {
    case COUNTER_ADD:
        total += m->w[0];
        *m = (struct ipc_msg){ .w = { total, calls } };
        return 0;
    case COUNTER_ECHO:
        ext->send_buf = (uint32_t)buf;
        ext->send_len = m->len;
        return 0;
    case SERVER_QUIT:
        *m = (struct ipc_msg){ 0 };
        return 1;
    default:
        *m = (struct ipc_msg){ .label = (uint32_t)-ENOSYS };
        return 0;
    }
}

int main(void)
{
    if (ns_serve("counter", buf, sizeof(buf), handle) != 0) {
        printf("counter: %s\n", strerror(errno));
        return 1;
    }
    printf("counter: quit after %u calls, total %u\n", calls, total);
    return 0;
}
