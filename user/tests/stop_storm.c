/*
 * A storm of stops: the parent stops and continues a working child 5,000 times (SIGSTOP,
 * SIGTSTP and SIGCONT as fast as it can, draining WUNTRACED/WCONTINUED reports now and then)
 * while the child computes a sum and sleeps in short pipe reads. The child must end with the
 * right sum, as if nothing had happened; a second child, stopped, must die of SIGKILL. Prints
 *
 *     stop_storm: 5000 stops, worker's sum right: yes, stopped child killed by signal 9
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define STOPS  5000
#define ROUNDS 4000000u

static unsigned sum_of_squares(unsigned n)
{
    unsigned s = 0;
    for (unsigned i = 0; i < n; i++) {
        s += i * i;
    }
    return s;
}

int main(void)
{
    int fds[2];
    pipe(fds);
    int worker = fork();
    if (worker == 0) {
        close(fds[1]);
        unsigned total = 0;
        for (int round = 0; round < 8; round++) {
            total += sum_of_squares(ROUNDS / 8);
            char c;
            read(fds[0], &c, 1); /* sleeps until the parent writes: a stop meets it asleep */
        }
        return total == 8 * sum_of_squares(ROUNDS / 8) ? 0 : 1;
    }
    close(fds[0]);
    int status = 0;
    int worker_ended = 0; /* reaped by the loop's WNOHANG waits: on another CPU it can finish */
    for (int i = 0; i < STOPS; i++) {
        kill(worker, i % 3 == 0 ? SIGTSTP : SIGSTOP);
        kill(worker, SIGCONT);
        if (i % 600 == 0) {
            write(fds[1], "x", 1);
        }
        if (i % 100 == 0 && !worker_ended) {
            int seen;
            while (waitpid(worker, &seen, WNOHANG | WUNTRACED | WCONTINUED) > 0) {
                if (WIFEXITED(seen) || WIFSIGNALED(seen)) {
                    worker_ended = 1;
                    status = seen;
                }
            }
        }
    }
    kill(worker, SIGCONT);
    for (int i = 0; i < 8; i++) {
        write(fds[1], "x", 1);
    }
    while (!worker_ended && waitpid(worker, &status, 0) != worker) {
    }
    int worker_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

    int victim = fork();
    if (victim == 0) {
        for (;;) {
        }
    }
    kill(victim, SIGSTOP);
    waitpid(victim, &status, WUNTRACED);
    kill(victim, SIGKILL);
    while (waitpid(victim, &status, 0) != victim) {
    }
    printf("stop_storm: %d stops, worker's sum right: %s, stopped child killed by signal %d\n",
           STOPS, worker_ok ? "yes" : "no", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 0;
}
