/*
 * hostile_ipc: abuses the IPC calls in ways the kernel must survive without leaking (the test
 * boots it next to hello and compares free frames and live endpoints at power-off):
 *
 *   - makes endpoints until the descriptor table is full (EMFILE), and exits holding them;
 *   - a child blocks sending its endpoint's own receive end through that endpoint (a message
 *     that holds up the endpoint it waits on) and is killed there (exit 1 if it returns);
 *   - a child calls a server that never answers, and the server is killed: EPIPE;
 *   - 3000 calls with garbage in every register (descriptors, lengths, pointers, flags, timeout
 *     0 so nothing waits), each of which must fail cleanly.
 *
 * Prints "hostile_ipc: survived" and exits 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/wait.h>
#include <syscall.h>
#include <unistd.h>

static uint32_t seed = 12345;

static uint32_t random_word(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8 | seed << 24;
}

static void fill_the_table(void)
{
    int child = fork();
    if (child == 0) {
        int ep[2], made = 0;
        while (ipc_endpoint(ep, 0) == 0) {
            made++;
        }
        printf("hostile_ipc: %d endpoints, then errno %d\n", made, errno);
        _exit(errno == EMFILE ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
}

static void self_reference(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    int child = fork();
    if (child == 0) {
        struct ipc_msg m = { .label = 1 };
        struct ipc_ext ext = { .timeout_ms = IPC_FOREVER,
                               .flags = IPC_SEND_CAP,
                               .send_cap = ep[0] };
        ipc_send(ep[1], &m, &ext); /* nobody receives: it waits, holding the end in flight */
        _exit(1);
    }
    close(ep[0]);
    close(ep[1]);
    usleep(20000);
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
}

static void unanswered(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    int server = fork();
    if (server == 0) {
        struct ipc_msg m;
        close(ep[1]);
        ipc_recv(ep[0], &m, NULL);
        pause();
    }
    close(ep[0]);
    int caller = fork();
    if (caller == 0) {
        struct ipc_msg m = { .label = 1 };
        long r = ipc_call(ep[1], &m, NULL);
        printf("hostile_ipc: unanswered call ended: %ld errno %d\n", r, errno);
        _exit(0);
    }
    usleep(20000);
    kill(server, SIGKILL);
    int status;
    waitpid(server, &status, 0);
    waitpid(caller, &status, 0);
    close(ep[1]);
}

static void garbage(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    static const uint32_t pointers[] = { 0,           0x1000,      0xbffffffcu, 0xc0000000u,
                                         0xc0100000u, 0xffffffffu, 0x04000000u };
    static struct ipc_ext ext;
    unsigned ok = 0;
    for (int i = 0; i < 3000; i++) {
        ext = (struct ipc_ext){
            .timeout_ms = 0,
            .flags = random_word() & 3,
            .send_buf = pointers[random_word() % 7],
            .send_len = random_word() % 2 ? random_word() % 2048 : random_word(),
            .send_cap = (int32_t)(random_word() % 8) - 1,
            .recv_buf = pointers[random_word() % 7],
            .recv_max = random_word() % 2 ? random_word() % 2048 : random_word(),
        };
        long number = SYS_ipc_call + (long)(random_word() % 5);
        long fd = (long)(random_word() % 8) - 2;
        long r = syscall_raw(number, fd, (long)random_word(), (long)random_word(),
                             (long)random_word(), (long)random_word(), (long)&ext);
        ok += r >= 0;
    }
    printf("hostile_ipc: %u of 3000 garbage calls succeeded\n", ok);
    close(ep[0]);
    close(ep[1]);
}

int main(void)
{
    fill_the_table();
    self_reference();
    unanswered();
    garbage();
    printf("hostile_ipc: survived\n");
    return 0;
}
