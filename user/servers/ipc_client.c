/*
 * ipc_client: the client of the example servers, started as a module beside them. It finds
 * the counter and the RAM file server through the name server, uses them, prints what it
 * computed, and finally tells every server to quit so the machine powers off.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/servers/protocol.h"

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("ipc_client: FAILED: %s (errno %d)\n", what, errno);
        failures++;
    }
}

/* One call with an optional long part out (send, send_len) and back (recv, recv_max). */
static long request(int ep, struct ipc_msg *m, const void *send, uint32_t send_len, void *recv,
                    uint32_t recv_max)
{
    struct ipc_ext ext = { .timeout_ms = IPC_FOREVER,
                           .send_buf = (uint32_t)send,
                           .send_len = send_len,
                           .recv_buf = (uint32_t)recv,
                           .recv_max = recv_max };
    long r = ipc_call(ep, m, &ext);
    return r < 0 ? r : (long)(int32_t)m->label;
}

static void use_counter(int counter)
{
    struct ipc_msg m;
    for (uint32_t i = 1; i <= 10; i++) {
        m = (struct ipc_msg){ .label = COUNTER_ADD, .w = { i } };
        check(request(counter, &m, NULL, 0, NULL, 0) == 0, "counter add");
    }
    printf("ipc_client: counter total %u after %u calls\n", m.w[0], m.w[1]);
    char out[300], back[300];
    for (unsigned i = 0; i < sizeof(out); i++) {
        out[i] = (char)('a' + i % 26);
    }
    m = (struct ipc_msg){ .label = COUNTER_ECHO, .w = { 7, 8, 9 } };
    check(request(counter, &m, out, sizeof(out), back, sizeof(back)) == COUNTER_ECHO, "echo");
    bool same = m.len == sizeof(out) && memcmp(out, back, sizeof(out)) == 0;
    printf("ipc_client: echo returned %u bytes, words %u %u %u, %s\n", m.len, m.w[0], m.w[1],
           m.w[2], same ? "same" : "DIFFERENT");
}

static void use_ramfs(int fs)
{
    static const char name[] = "notes.txt";
    struct ipc_msg m = { .label = RAMFS_OPEN, .w = { 1 } };
    check(request(fs, &m, name, strlen(name), NULL, 0) == 0, "open");
    uint32_t h = m.w[0];
    static const char first[] = "Hello from a client, ";
    static const char second[] = "stored by a server in user space.";
    m = (struct ipc_msg){ .label = RAMFS_WRITE, .w = { h, 0 } };
    check(request(fs, &m, first, strlen(first), NULL, 0) == 0, "write 1");
    m = (struct ipc_msg){ .label = RAMFS_WRITE, .w = { h, strlen(first) } };
    check(request(fs, &m, second, strlen(second), NULL, 0) == 0, "write 2");
    m = (struct ipc_msg){ .label = RAMFS_CLOSE, .w = { h } };
    check(request(fs, &m, NULL, 0, NULL, 0) == 0, "close");

    m = (struct ipc_msg){ .label = RAMFS_OPEN, .w = { 0 } };
    check(request(fs, &m, name, strlen(name), NULL, 0) == 0, "open again");
    h = m.w[0];
    char text[128] = "";
    m = (struct ipc_msg){ .label = RAMFS_READ, .w = { h, 0, sizeof(text) - 1 } };
    check(request(fs, &m, NULL, 0, text, sizeof(text) - 1) == 0, "read");
    text[m.len] = '\0';
    printf("ipc_client: read %u bytes back: %s\n", m.w[0], text);
    m = (struct ipc_msg){ .label = RAMFS_READ, .w = { h, 6, 4 } };
    check(request(fs, &m, NULL, 0, text, 4) == 0, "read at an offset");
    text[m.len] = '\0';
    printf("ipc_client: 4 bytes at offset 6: %s\n", text);
    m = (struct ipc_msg){ .label = RAMFS_OPEN, .w = { 0 } };
    printf("ipc_client: open of a missing file: %ld\n", request(fs, &m, "nope", 4, NULL, 0));
    m = (struct ipc_msg){ .label = RAMFS_CLOSE, .w = { h } };
    check(request(fs, &m, NULL, 0, NULL, 0) == 0, "close again");
}

static void quit(int ep, const char *who)
{
    struct ipc_msg m = { .label = SERVER_QUIT };
    check(ipc_call(ep, &m, NULL) == 0, who);
}

int main(void)
{
    int counter = ns_lookup("counter");
    int fs = ns_lookup("ramfs");
    check(counter >= 0 && fs >= 0, "lookup");
    if (counter < 0 || fs < 0) {
        return 1;
    }
    printf("ipc_client: counter is descriptor %d, ramfs descriptor %d\n", counter, fs);
    use_counter(counter);
    use_ramfs(fs);
    quit(counter, "quit counter");
    quit(fs, "quit ramfs");
    quit(IPC_NAMES_FD, "quit names");
    struct ipc_msg m = { .label = COUNTER_ADD, .w = { 1 } };
    printf("ipc_client: a call after the counter quit: %s\n",
           ipc_call(counter, &m, NULL) < 0 && errno == EPIPE ? "EPIPE" : "no error");
    printf("ipc_client: %s\n", failures ? "FAILED" : "done");
    return failures ? 1 : 0;
}
