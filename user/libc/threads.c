/*
 * POSIX threads as both libcs make them (clone with CLONE_VM|CLONE_THREAD|CLONE_SETTLS|..., and
 * futex): a mutex under contention, a condition variable between a producer and consumers,
 * thread-local storage per thread, a thread that ends while others run, join, and the ids.
 * Prints what it computed; "threads: ok" when every result is what it must be.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WORKERS 4
#define ROUNDS  20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static long counter;
static int queue[64];
static int queued;
static int produced_done;
static long consumed_sum;
static __thread int mine = -1;
static int tls_ok[WORKERS];
static int tid_differs[WORKERS];

static void *add(void *arg)
{
    int index = (int)(long)arg;
    mine = index * 100;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        if (i % 1000 == 0) {
            sched_yield();
        }
    }
    tls_ok[index] = mine == index * 100;
    tid_differs[index] = syscall(SYS_gettid) != getpid();
    return (void *)(long)(index + 1);
}

static void *consume(void *arg)
{
    (void)arg;
    long sum = 0;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (queued == 0 && !produced_done) {
            pthread_cond_wait(&ready, &lock);
        }
        if (queued == 0 && produced_done) {
            pthread_mutex_unlock(&lock);
            break;
        }
        sum += queue[--queued];
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    consumed_sum += sum;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *leave_early(void *arg)
{
    (void)arg;
    pthread_exit((void *)42);
    return NULL;
}

int main(void)
{
    pthread_t workers[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        pthread_create(&workers[i], NULL, add, (void *)(long)i);
    }
    pthread_t early;
    pthread_create(&early, NULL, leave_early, NULL);
    long joined = 0;
    for (int i = 0; i < WORKERS; i++) {
        void *result;
        pthread_join(workers[i], &result);
        joined += (long)result;
    }
    void *early_result;
    pthread_join(early, &early_result);
    int tls = 1, tids = 1;
    for (int i = 0; i < WORKERS; i++) {
        tls &= tls_ok[i];
        tids &= tid_differs[i];
    }
    printf("threads: counter %ld of %d, joined sum %ld, early exit %ld\n", counter,
           WORKERS * ROUNDS, joined, (long)early_result);
    printf("threads: thread-local storage per thread: %s; main's still %d; tids differ: %s\n",
           tls ? "yes" : "no", mine, tids ? "yes" : "no");

    pthread_t consumers[3];
    for (int i = 0; i < 3; i++) {
        pthread_create(&consumers[i], NULL, consume, NULL);
    }
    long expected = 0;
    for (int v = 1; v <= 300; v++) {
        pthread_mutex_lock(&lock);
        while (queued == 64) {
            pthread_mutex_unlock(&lock);
            sched_yield();
            pthread_mutex_lock(&lock);
        }
        queue[queued++] = v;
        expected += v;
        pthread_cond_signal(&ready);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    produced_done = 1;
    pthread_cond_broadcast(&ready);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < 3; i++) {
        pthread_join(consumers[i], NULL);
    }
    printf("threads: condition variable: consumed %ld of %ld\n", consumed_sum, expected);
    int ok = counter == WORKERS * ROUNDS && joined == 10 && (long)early_result == 42 && tls &&
             mine == -1 && tids && consumed_sum == expected;
    printf(ok ? "threads: ok\n" : "threads: FAIL\n");
    return !ok;
}
