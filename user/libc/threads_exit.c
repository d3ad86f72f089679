/*
 * exit_group ends every thread: main starts a thread that spins, one blocked on a pipe nobody
 * writes and one waiting on a condition nobody signals, then returns. The process must end
 * (the run powers off) with every frame given back. Prints "threads_exit: leaving with N
 * threads running".
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int pipe_fds[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static volatile int started;

static void *spin(void *arg)
{
    (void)arg;
    __sync_fetch_and_add(&started, 1);
    for (;;) {
    }
    return NULL;
}

static void *blocked_read(void *arg)
{
    (void)arg;
    char c;
    __sync_fetch_and_add(&started, 1);
    read(pipe_fds[0], &c, 1);
    return NULL;
}

static void *blocked_wait(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    __sync_fetch_and_add(&started, 1);
    pthread_cond_wait(&never, &lock);
    return NULL;
}

int main(void)
{
    pipe(pipe_fds);
    pthread_t t[3];
    pthread_create(&t[0], NULL, spin, NULL);
    pthread_create(&t[1], NULL, blocked_read, NULL);
    pthread_create(&t[2], NULL, blocked_wait, NULL);
    while (started < 3) {
        usleep(10000);
    }
    printf("threads_exit: leaving with %d threads running\n", started);
    return 0;
}
