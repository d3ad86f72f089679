/*
 * Synchronous IPC between processes (docs/ipc.md), one line per check, "ipc_test: ok" last:
 *
 *     ordering       three clients make 20 calls each to one server looping on reply_recv:
 *                    each client's calls arrive in order and every reply is its own
 *     fast and slow  the same 100 calls through the fast path and with IPC_SLOW give the
 *                    same results; only the first run takes the fast path (its counter)
 *     capability     a send end passed in a call arrives as a new descriptor in the server,
 *                    which then sends on it to the parent
 *     server death   the server takes one call and exits without replying: that caller and
 *                    two queued ones get EPIPE, and so does a later call
 *     caller killed  a caller is killed while the server holds its reply right: the reply
 *                    finds nobody (ESRCH) and the server serves the next caller as usual
 *     signal         a call the server never answers is cut short by a signal (EINTR)
 *     timeouts       timeout 0 never waits (EAGAIN); a finite one ends with ETIMEDOUT
 *     stack buffer   a long message received into, and sent from, untouched stack pages
 *     hostile        bad descriptors, wrong ends, huge lengths, kernel pointers, unknown
 *                    flags, replies without a reply right or twice: errors, no side effect
 *
 * A failed check prints "ipc_test: FAIL <check>: ..." and the exit status is 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/ringlet.h>
#include <sys/wait.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>

#define TEST_NAME "ipc_test"
#include "check.h"

#define KERNEL_ADDRESS 0xc0100000u

/* Forks a server running serve(receive end); the parent keeps only the send end ep[1]. */
static int start_server(int ep[2], void (*serve)(int ep))
{
    int pid = fork();
    if (pid == 0) {
        close(ep[1]);
        serve(ep[0]);
        _exit(0);
    }
    close(ep[0]);
    return pid;
}

/* The exit code of child pid, or -1 when it was killed. */
static int exit_code(int pid)
{
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- ordering ---- */

enum { CLIENTS = 3, CALLS = 20 };

static void serve_in_order(int ep)
{
    uint32_t next[CLIENTS] = { 0 };
    int wrong = 0;
    struct ipc_msg m = { 0 };
    for (int i = 0; i < CLIENTS * CALLS; i++) {
        if (ipc_reply_recv(ep, &m, NULL) < 0 || m.w[0] >= CLIENTS) {
            _exit(100);
        }
        uint32_t id = m.w[0], seq = m.w[1];
        wrong += seq != next[id]++;
        m = (struct ipc_msg){ .w = { id, seq * 2 + id } };
    }
    ipc_reply(&m, NULL);
    _exit(wrong);
}

static void test_ordering(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    int server = start_server(ep, serve_in_order);
    int clients[CLIENTS];
    for (uint32_t id = 0; id < CLIENTS; id++) {
        clients[id] = fork();
        if (clients[id] == 0) {
            for (uint32_t seq = 0; seq < CALLS; seq++) {
                struct ipc_msg m = { .label = 1, .w = { id, seq } };
                if (ipc_call(ep[1], &m, NULL) != 0 || m.w[0] != id || m.w[1] != seq * 2 + id) {
                    _exit(1);
                }
                if (seq % 4 == 0) {
                    sched_yield(); /* mix the clients up */
                }
            }
            _exit(0);
        }
    }
    int bad = 0;
    for (int i = 0; i < CLIENTS; i++) {
        bad += exit_code(clients[i]) != 0;
    }
    int wrong = exit_code(server);
    close(ep[1]);
    if (bad || wrong) {
        fail("ordering", "%d clients got wrong replies, %d calls out of order", bad, wrong);
    } else {
        ok("ordering");
    }
}

/* ---- fast and slow ---- */

#define SLOW_BIT 0x80000000u

static void serve_arithmetic(int ep)
{
    struct ipc_msg m = { 0 };
    struct ipc_ext slow = { .timeout_ms = IPC_FOREVER, .flags = IPC_SLOW };
    const struct ipc_ext *ext = NULL;
    for (;;) {
        if (ipc_reply_recv(ep, &m, ext) < 0) {
            _exit(errno == EPIPE ? 0 : 1);
        }
        if (m.label == 0) {
            ipc_reply(&m, NULL);
            _exit(0);
        }
        ext = m.label & SLOW_BIT ? &slow : NULL;
        uint32_t label = m.label & ~SLOW_BIT, a = m.w[0], b = m.w[1], c = m.w[2];
        m = (struct ipc_msg){ .label = label * 3, .w = { a * b + c, a ^ label, b - c } };
    }
}

/* 100 calls; returns a checksum of every reply and the fast paths the counters saw. */
static uint32_t arithmetic_run(int ep, bool slow, uint32_t *fast_paths)
{
    struct ipc_ext ext = { .timeout_ms = IPC_FOREVER, .flags = IPC_SLOW };
    struct ringlet_counters before, after;
    ringlet_counters(&before);
    uint32_t sum = 0;
    for (uint32_t i = 1; i <= 100; i++) {
        struct ipc_msg m = { .label = i | (slow ? SLOW_BIT : 0), .w = { i * 7, i + 3, i * i } };
        if (ipc_call(ep, &m, slow ? &ext : NULL) != 0) {
            return 0;
        }
        sum = sum * 31 + m.label + m.w[0] * 3 + m.w[1] * 5 + m.w[2] * 7;
    }
    ringlet_counters(&after);
    *fast_paths = after.ipc_fast_paths - before.ipc_fast_paths;
    return sum;
}

static void test_fast_and_slow(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    int server = start_server(ep, serve_arithmetic);
    struct ipc_msg warm = { .label = 1 };
    ipc_call(ep[1], &warm, NULL); /* the server is waiting in reply_recv from here on */
    uint32_t fast_paths, slow_paths;
    uint32_t fast = arithmetic_run(ep[1], false, &fast_paths);
    uint32_t slow = arithmetic_run(ep[1], true, &slow_paths);
    struct ipc_msg quit = { 0 };
    ipc_call(ep[1], &quit, NULL);
    int code = exit_code(server);
    close(ep[1]);
    if (fast == 0 || fast != slow || code != 0) {
        fail("fast and slow", "checksums %u and %u, server exit %d", fast, slow, code);
    } else if (fast_paths < 150 || slow_paths != 0) {
        fail("fast and slow", "%u fast paths in the fast run, %u in the slow one", fast_paths,
             slow_paths);
    } else {
        printf("ipc_test: fast and slow runs agree (checksum %u; %u and %u direct switches)\n",
               fast, fast_paths, slow_paths);
        ok("fast and slow");
    }
}

/* ---- capability transfer ---- */

static void serve_capability(int ep)
{
    struct ipc_msg m = { 0 };
    if (ipc_recv(ep, &m, NULL) < 0 || m.cap < 0) {
        _exit(1);
    }
    int passed = m.cap;
    m = (struct ipc_msg){ .w = { (uint32_t)passed } };
    ipc_reply(&m, NULL);
    m = (struct ipc_msg){ .label = 77, .w = { 42 } };
    _exit(ipc_send(passed, &m, NULL) == 0 ? 0 : 2);
}

static void test_capability(void)
{
    int ep[2], back[2];
    ipc_endpoint(ep, 0);
    ipc_endpoint(back, 0);
    int server = start_server(ep, serve_capability);
    struct ipc_msg m = { .label = 1 };
    struct ipc_ext ext = { .timeout_ms = IPC_FOREVER, .flags = IPC_SEND_CAP, .send_cap = back[1] };
    long r = ipc_call(ep[1], &m, &ext);
    close(back[1]); /* the server holds a copy now */
    struct ipc_msg got = { 0 };
    long from = ipc_recv(back[0], &got, NULL);
    int code = exit_code(server);
    if (r != 0 || (int)m.w[0] < 3 || from != server || got.label != 77 || got.w[0] != 42 ||
        code != 0) {
        fail("capability", "call %ld (cap %d), recv from %ld label %u word %u, server %d", r,
             (int)m.w[0], from, got.label, got.w[0], code);
    } else {
        ok("capability");
    }
    close(back[0]);
    close(ep[1]);
}

/* ---- server death ---- */

static void serve_once_and_die(int ep)
{
    struct ipc_msg m;
    ipc_recv(ep, &m, NULL);
    usleep(100000); /* the other callers queue up meanwhile */
    _exit(0);       /* without a reply */
}

static void test_server_death(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    int server = start_server(ep, serve_once_and_die);
    int callers[3];
    for (int i = 0; i < 3; i++) {
        callers[i] = fork();
        if (callers[i] == 0) {
            struct ipc_msg m = { .label = 1 };
            _exit(ipc_call(ep[1], &m, NULL) < 0 && errno == EPIPE ? 0 : 1);
        }
    }
    int bad = 0;
    for (int i = 0; i < 3; i++) {
        bad += exit_code(callers[i]) != 0;
    }
    exit_code(server);
    struct ipc_msg m = { .label = 1 };
    bool later = ipc_call(ep[1], &m, NULL) < 0 && errno == EPIPE;
    bool send = ipc_send(ep[1], &m, NULL) < 0 && errno == EPIPE;
    close(ep[1]);
    if (bad || !later || !send) {
        fail("server death", "%d callers without EPIPE; later call %d, send %d", bad, later, send);
    } else {
        ok("server death");
    }
}

/* ---- caller killed ---- */

static void serve_after_a_pause(int ep)
{
    struct ipc_msg m;
    if (ipc_recv(ep, &m, NULL) < 0) {
        _exit(1);
    }
    usleep(100000); /* the parent kills the caller meanwhile */
    bool gone = ipc_reply(&m, NULL) < 0 && errno == ESRCH;
    bool twice = ipc_reply(&m, NULL) < 0 && errno == EPERM;
    if (ipc_recv(ep, &m, NULL) < 0) {
        _exit(2);
    }
    m = (struct ipc_msg){ .w = { gone, twice, 5 } };
    ipc_reply(&m, NULL);
    _exit(0);
}

static void test_caller_killed(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    int server = start_server(ep, serve_after_a_pause);
    int caller = fork();
    if (caller == 0) {
        struct ipc_msg m = { .label = 1 };
        ipc_call(ep[1], &m, NULL);
        _exit(3); /* never: killed while waiting */
    }
    usleep(30000);
    kill(caller, SIGKILL);
    int status = 0;
    waitpid(caller, &status, 0);
    struct ipc_msg m = { .label = 2 };
    long r = ipc_call(ep[1], &m, NULL);
    int code = exit_code(server);
    close(ep[1]);
    if (!WIFSIGNALED(status) || r != 0 || m.w[0] != 1 || m.w[1] != 1 || m.w[2] != 5 || code != 0) {
        fail("caller killed", "status %#x, call %ld, gone %u twice %u, server %d", status, r,
             m.w[0], m.w[1], code);
    } else {
        ok("caller killed");
    }
}

/* ---- a signal ends a call that is never answered ---- */

static void serve_never(int ep)
{
    struct ipc_msg m;
    ipc_recv(ep, &m, NULL);
    pause(); /* holds the reply right until killed */
}

static void nothing(int sig)
{
    (void)sig;
}

static void test_signal(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    int server = start_server(ep, serve_never);
    int caller = fork();
    if (caller == 0) {
        struct kernel_sigaction act = { .handler = (uint32_t)(uintptr_t)nothing };
        syscall_raw(SYS_rt_sigaction, SIGUSR1, (long)&act, 0, 8, 0, 0);
        struct ipc_msg m = { .label = 1 };
        _exit(ipc_call(ep[1], &m, NULL) < 0 && errno == EINTR ? 0 : 1);
    }
    usleep(30000);
    kill(caller, SIGUSR1);
    int code = exit_code(caller);
    kill(server, SIGKILL);
    exit_code(server);
    close(ep[1]);
    if (code != 0) {
        fail("signal", "the caller's call did not end with EINTR (exit %d)", code);
    } else {
        ok("signal");
    }
}

/* ---- timeouts ---- */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_timeouts(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    struct ipc_msg m = { .label = 1 };
    struct ipc_ext poll = { .timeout_ms = 0 };
    struct ipc_ext brief = { .timeout_ms = 30 };
    bool recv_poll = ipc_recv(ep[0], &m, &poll) < 0 && errno == EAGAIN;
    bool call_poll = ipc_call(ep[1], &m, &poll) < 0 && errno == EAGAIN;
    bool send_poll = ipc_send(ep[1], &m, &poll) < 0 && errno == EAGAIN;
    uint64_t start = now_ms();
    bool recv_brief = ipc_recv(ep[0], &m, &brief) < 0 && errno == ETIMEDOUT;
    uint64_t waited = now_ms() - start;
    start = now_ms();
    bool call_brief = ipc_call(ep[1], &m, &brief) < 0 && errno == ETIMEDOUT;
    uint64_t waited_call = now_ms() - start;
    close(ep[0]);
    close(ep[1]);
    if (!recv_poll || !call_poll || !send_poll || !recv_brief || !call_brief || waited < 30 ||
        waited_call < 30) {
        fail("timeouts", "poll %d %d %d, brief %d %d after %u and %u ms", recv_poll, call_poll,
             send_poll, recv_brief, call_brief, (unsigned)waited, (unsigned)waited_call);
    } else {
        ok("timeouts");
    }
}

/* ---- long messages through untouched stack pages ---- */

static void serve_echo(int ep)
{
    static char buf[IPC_BUF_MAX];
    struct ipc_msg m = { 0 };
    struct ipc_ext ext = { .timeout_ms = IPC_FOREVER,
                           .recv_buf = (uint32_t)buf,
                           .recv_max = sizeof(buf) };
    for (;;) {
        if (ipc_reply_recv(ep, &m, &ext) < 0) {
            _exit(0);
        }
        if (m.label == 0) {
            ipc_reply(&m, NULL);
            _exit(0);
        }
        ext.send_buf = (uint32_t)buf;
        ext.send_len = m.len;
    }
}

/* Sends and receives IPC_BUF_MAX bytes straddling a page 40 KiB down the stack, which no
 * code has touched yet: the copies grow the stack through the ordinary fault path. */
static __attribute__((noinline)) bool echo_deep(int ep)
{
    volatile char deep[40 * 1024];
    char *out = (char *)deep + 4096 - IPC_BUF_MAX / 2; /* across a page boundary */
    char *in = (char *)deep + 3 * 4096 - IPC_BUF_MAX / 2;
    struct ipc_ext ext = { .timeout_ms = IPC_FOREVER,
                           .recv_buf = (uint32_t)in,
                           .recv_max = IPC_BUF_MAX,
                           .send_buf = (uint32_t)out,
                           .send_len = IPC_BUF_MAX };
    struct ipc_msg m = { .label = 1 };
    if (ipc_call(ep, &m, &ext) != 0 || m.len != IPC_BUF_MAX) {
        return false;
    }
    for (unsigned i = 0; i < IPC_BUF_MAX; i++) {
        if (in[i] != 0) { /* untouched pages are zero, so the echo is all zeros */
            return false;
        }
    }
    for (unsigned i = 0; i < IPC_BUF_MAX; i++) {
        out[i] = (char)(i * 7 + 1);
    }
    m = (struct ipc_msg){ .label = 1 };
    return ipc_call(ep, &m, &ext) == 0 && memcmp(in, out, IPC_BUF_MAX) == 0;
}

static void test_stack_buffer(void)
{
    int ep[2];
    ipc_endpoint(ep, 0);
    int server = start_server(ep, serve_echo);
    bool good = echo_deep(ep[1]);
    struct ipc_msg quit = { 0 };
    ipc_call(ep[1], &quit, NULL);
    exit_code(server);
    close(ep[1]);
    if (!good) {
        fail("stack buffer", "the echo through untouched stack pages differs");
    } else {
        ok("stack buffer");
    }
}

/* ---- hostile arguments ---- */

static int hostile_failures;

static void expect(const char *what, long r, int want)
{
    if (r != -1 || errno != want) {
        printf("ipc_test: hostile %s gave %ld errno %d, wanted errno %d\n", what, r, errno, want);
        hostile_failures++;
    }
}

/* Serves echo calls; one with label 9 gets a reply too long for the caller first. */
static void serve_hostile(int ep)
{
    static char big[IPC_BUF_MAX];
    struct ipc_msg m;
    while (ipc_recv(ep, &m, NULL) >= 0) {
        if (m.label == 0) {
            ipc_reply(&m, NULL);
            _exit(0);
        }
        if (m.label == 9) {
            struct ipc_ext too_long = { .timeout_ms = IPC_FOREVER,
                                        .send_buf = (uint32_t)big,
                                        .send_len = 64 };
            if (ipc_reply(&m, &too_long) == 0 || errno != EMSGSIZE) {
                _exit(9);
            }
        }
        ipc_reply(&m, NULL); /* the right survives a refused reply */
    }
    _exit(1);
}

static void test_hostile(void)
{
    int ep[2], pipe_fds[2];
    ipc_endpoint(ep, 0);
    pipe(pipe_fds);
    struct ipc_msg m = { .label = 1 };
    char small[16];
    struct ipc_ext ext;
    expect("negative descriptor", ipc_call(-1, &m, NULL), EBADF);
    expect("descriptor 1000", ipc_call(1000, &m, NULL), EBADF);
    expect("free descriptor", ipc_call(200, &m, NULL), EBADF);
    expect("pipe", ipc_call(pipe_fds[1], &m, NULL), EBADF);
    expect("console", ipc_recv(0, &m, NULL), EBADF);
    expect("recv on a send end", ipc_recv(ep[1], &m, NULL), EBADF);
    expect("call on a receive end", ipc_call(ep[0], &m, NULL), EBADF);
    expect("ext in the kernel", ipc_call(ep[1], &m, (const struct ipc_ext *)KERNEL_ADDRESS),
           EFAULT);
    ext = (struct ipc_ext){ .timeout_ms = 0,
                            .send_len = IPC_BUF_MAX + 1,
                            .send_buf = (uint32_t)small };
    expect("one byte too long", ipc_call(ep[1], &m, &ext), EMSGSIZE);
    ext.send_len = 0xffffffffu;
    expect("huge length", ipc_send(ep[1], &m, &ext), EMSGSIZE);
    ext = (struct ipc_ext){ .timeout_ms = 0, .send_len = 16, .send_buf = KERNEL_ADDRESS };
    expect("send buffer in the kernel", ipc_call(ep[1], &m, &ext), EFAULT);
    ext = (struct ipc_ext){ .timeout_ms = 0, .send_len = 16, .send_buf = 0xbffffff8u };
    expect("send buffer across KERNBASE", ipc_send(ep[1], &m, &ext), EFAULT);
    ext = (struct ipc_ext){ .timeout_ms = 0, .recv_max = 16, .recv_buf = KERNEL_ADDRESS };
    expect("receive buffer in the kernel", ipc_recv(ep[0], &m, &ext), EFAULT);
    ext = (struct ipc_ext){ .timeout_ms = 0, .recv_max = 16, .recv_buf = 0x1000 };
    expect("unmapped receive buffer", ipc_recv(ep[0], &m, &ext), EFAULT);
    ext = (struct ipc_ext){ .timeout_ms = 0, .flags = 0x100 };
    expect("unknown flags", ipc_send(ep[1], &m, &ext), EINVAL);
    ext = (struct ipc_ext){ .timeout_ms = 0, .flags = IPC_SEND_CAP, .send_cap = pipe_fds[0] };
    expect("a pipe as the capability", ipc_send(ep[1], &m, &ext), EBADF);
    ext.send_cap = 999;
    expect("capability 999", ipc_send(ep[1], &m, &ext), EBADF);
    expect("reply without a call", ipc_reply(&m, NULL), EPERM);
    expect("reply_recv on a send end", ipc_reply_recv(ep[1], &m, NULL), EBADF);
    expect("endpoint flags", ipc_endpoint(pipe_fds, 0x4), EINVAL);
    expect("endpoint at a kernel address", ipc_endpoint((int *)KERNEL_ADDRESS, 0), EFAULT);

    /* None of that changed anything: the endpoint still works, from a server. */
    int server = start_server(ep, serve_hostile);
    int other = fork();
    if (other == 0) { /* a process that did not receive the call cannot answer it */
        struct ipc_msg forged = { .label = 666 };
        _exit(ipc_reply(&forged, NULL) < 0 && errno == EPERM ? 0 : 1);
    }
    bool forged_refused = exit_code(other) == 0;
    m = (struct ipc_msg){ .label = 9, .w = { 1, 2, 3 } };
    struct ipc_ext room = { .timeout_ms = IPC_FOREVER,
                            .recv_buf = (uint32_t)small,
                            .recv_max = sizeof(small) };
    long r = ipc_call(ep[1], &m, &room);
    bool answered = r == 0 && m.label == 9 && m.w[2] == 3 && m.len == 0;
    m = (struct ipc_msg){ 0 };
    ipc_call(ep[1], &m, NULL);
    int code = exit_code(server);
    close(ep[1]);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    if (hostile_failures || !forged_refused || !answered || code != 0) {
        fail("hostile", "%d wrong errors, forged reply refused %d, answered %d, server %d",
             hostile_failures, forged_refused, answered, code);
    } else {
        ok("hostile");
    }
}

int main(void)
{
    test_ordering();
    test_fast_and_slow();
    test_capability();
    test_server_death();
    test_caller_killed();
    test_signal();
    test_timeouts();
    test_stack_buffer();
    test_hostile();
    if (failures == 0) {
        printf("ipc_test: ok\n");
    }
    return failures ? 1 : 0;
}
