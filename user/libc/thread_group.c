/*
 * A process of several threads is one process to the outside, as Linux makes it: getpid is the
 * same in every thread; a signal sent to the process goes to a thread that does not block it
 * (or to one waiting for it in sigwait); a fatal signal, from outside or from a thread's own
 * fault, ends every thread; execve from any thread ends the others and the new program runs
 * alone with the same pid. One line per failed check; ends "thread_group: N checks, M failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_NAME "thread_group"
#include "check.h"

static pid_t gettid_(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static volatile pid_t handled_by;
static volatile int handled;

static void on_usr1(int sig)
{
    (void)sig;
    handled_by = gettid_();
    handled++;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int stage;
static pid_t worker_tid;
static pid_t worker_pid;

static void *worker(void *arg)
{
    (void)arg;
    worker_tid = gettid_();
    worker_pid = getpid();
    pthread_mutex_lock(&lock);
    stage = 1;
    pthread_cond_broadcast(&cond);
    while (stage != 2) {
        pthread_cond_wait(&cond, &lock); /* SIGUSR1 may run its handler here */
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

static int sigwait_result;

static void *waiter(void *arg)
{
    sigset_t *set = arg;
    int sig = 0;
    sigwait(set, &sig);
    sigwait_result = sig;
    return NULL;
}

static int pending_seen = -1;

static void *pending_reader(void *arg)
{
    (void)arg;
    sigset_t set;
    sigpending(&set);
    pending_seen = sigismember(&set, SIGUSR2);
    return NULL;
}

/* getpid in every thread; a process-directed signal reaches the thread that takes it. */
static void one_process(void)
{
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_mutex_lock(&lock);
    while (stage != 1) {
        pthread_cond_wait(&cond, &lock);
    }
    pthread_mutex_unlock(&lock);
    check(worker_pid == getpid() && worker_tid != getpid(), "getpid is the same in a thread");
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL); /* main blocks it; the worker does not */
    kill(getpid(), SIGUSR1);
    for (int i = 0; i < 200 && !handled; i++) {
        usleep(5000);
    }
    check(handled == 1 && handled_by == worker_tid, "kill(getpid()) ran in the unblocking thread");
    printf("thread_group: same pid in the thread: %s; SIGUSR1 to the process ran in the "
           "worker: %s\n",
           worker_pid == getpid() ? "yes" : "no", handled_by == worker_tid ? "yes" : "no");
    pthread_mutex_lock(&lock);
    stage = 2;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    pthread_join(t, NULL);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);

    /* Every thread blocks SIGUSR2; one sigwaits for it; the process gets it. */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, NULL);
    pthread_create(&t, NULL, waiter, &usr2);
    usleep(50000);
    kill(getpid(), SIGUSR2);
    pthread_join(t, NULL);
    check(sigwait_result == SIGUSR2, "sigwait in a thread takes a signal sent to the process");
    printf("thread_group: sigwait in a thread got signal %d\n", sigwait_result);
    /* Sent while every thread blocks it, before the waiter exists: still the waiter's, and
     * every thread's sigpending shows it meanwhile. */
    sigwait_result = 0;
    kill(getpid(), SIGUSR2);
    pthread_create(&t, NULL, pending_reader, NULL);
    pthread_join(t, NULL);
    check(pending_seen == 1, "another thread's sigpending shows the process's signal");
    pthread_create(&t, NULL, waiter, &usr2);
    pthread_join(t, NULL);
    sigset_t pending;
    sigpending(&pending);
    check(sigwait_result == SIGUSR2 && !sigismember(&pending, SIGUSR2),
          "a later sigwait in another thread takes a signal already pending for the process");
    printf("thread_group: sent before the waiter started, sigwait got signal %d; pending seen "
           "from another thread: %s\n",
           sigwait_result, pending_seen == 1 ? "yes" : "no");
    pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
}

static void *spin(void *arg)
{
    (void)arg;
    for (volatile unsigned long i = 0;; i++) {
    }
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;) {
        sleep(10);
    }
    return NULL;
}

static void *faulter(void *arg)
{
    (void)arg;
    usleep(50000);
    *(volatile int *)16 = 1;
    return NULL;
}

/* Forks; in the child, starts a spinning and a sleeping thread. Returns what fork did. */
static pid_t fork_with_threads(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t;
        pthread_create(&t, NULL, spin, NULL);
        pthread_create(&t, NULL, sleeper, NULL);
    }
    return pid;
}

/* A child with a spinning, a sleeping and a pipe-reading thread besides its main one. */
static pid_t busy_child(int fault)
{
    pid_t pid = fork_with_threads();
    if (pid == 0) {
        pthread_t t;
        if (fault) {
            pthread_create(&t, NULL, faulter, NULL);
        }
        int fds[2];
        pipe(fds);
        char c;
        read(fds[0], &c, 1); /* for ever */
        _exit(1);
    }
    return pid;
}

static void fatal_signals(void)
{
    pid_t pid = busy_child(0);
    usleep(100000);
    kill(pid, SIGTERM);
    int term = 0;
    waitpid(pid, &term, 0);
    check(WIFSIGNALED(term) && WTERMSIG(term) == SIGTERM, "SIGTERM ends every thread");
    pid = busy_child(1);
    int fault = 0;
    waitpid(pid, &fault, 0);
    check(WIFSIGNALED(fault) && WTERMSIG(fault) == SIGSEGV, "a thread's fault ends them all");
    printf("thread_group: SIGTERM to 3 threads: signal %d; a thread's fault: signal %d\n",
           WIFSIGNALED(term) ? WTERMSIG(term) : 0, WIFSIGNALED(fault) ? WTERMSIG(fault) : 0);
}

static char *self_path;

static void *exec_from_thread(void *arg)
{
    (void)arg;
    usleep(50000);
    char *argv[] = { "thread_group", "exec", NULL };
    execv(self_path, argv);
    _exit(99);
}

/* Counts the threads /proc/self/status reports. */
static int thread_count(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    int n = -1;
    while (f && fgets(line, sizeof(line), f)) {
        sscanf(line, "Threads: %d", &n);
    }
    if (f) {
        fclose(f);
    }
    return n;
}

/* The program again, after an exec: it must be alone, with the pid it had. */
static int after_exec(const char *expected_pid)
{
    int threads = thread_count();
    int same = atoi(expected_pid) == getpid();
    printf("thread_group: after exec: %d thread(s), same pid: %s\n", threads, same ? "yes" : "no");
    return threads == 1 && same ? 33 : 34;
}

static void exec_ends_the_others(int from_main)
{
    pid_t pid = fork_with_threads();
    if (pid == 0) {
        pthread_t t;
        char pid_text[16];
        snprintf(pid_text, sizeof(pid_text), "%d", getpid());
        setenv("THREAD_GROUP_PID", pid_text, 1);
        if (from_main) {
            usleep(50000);
            char *argv[] = { "thread_group", "exec", NULL };
            execv(self_path, argv);
            _exit(98);
        }
        pthread_create(&t, NULL, exec_from_thread, NULL);
        for (;;) {
            pause();
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 33, "exec leaves the program alone");
    printf("thread_group: exec from the %s thread: exit %d\n", from_main ? "main" : "second",
           WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        const char *pid = getenv("THREAD_GROUP_PID");
        return after_exec(pid ? pid : "0");
    }
    self_path = argc > 1 ? argv[1] : "/proc/self/exe";
    one_process();
    fatal_signals();
    exec_ends_the_others(1);
    exec_ends_the_others(0);
    return check_summary();
}
