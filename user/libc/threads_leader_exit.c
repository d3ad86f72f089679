/*
 * The first thread leaves with pthread_exit while another goes on: that thread signals itself
 * (pthread_kill: tgkill of a thread that is not the first), forks a child, waits for it, and
 * ends the process by ending last. The kernel must keep the group's first thread until then,
 * deliver the child's end to a live thread, and give everything back.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int handled;

static void on_usr1(int sig)
{
    handled += sig == SIGUSR1;
}

static void *survivor(void *arg)
{
    (void)arg;
    usleep(50000); /* the first thread has left by now */
    signal(SIGUSR1, on_usr1);
    int killed = pthread_kill(pthread_self(), SIGUSR1);
    pid_t child = fork();
    if (child == 0) {
        _exit(5);
    }
    int status = 0;
    pid_t waited = waitpid(child, &status, 0);
    printf("leader_exit: pthread_kill %d, handled %d; child exit %d, waited by the survivor: %s\n",
           killed, handled, WEXITSTATUS(status), waited == child ? "yes" : "no");
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, survivor, NULL);
    pthread_exit(NULL);
}
