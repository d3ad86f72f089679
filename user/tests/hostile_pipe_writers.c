/*
 * Hostile: two writers and one reader on one pipe, the pipe full most of the time. Each writer
 * sends RECORDS records of RECORD bytes, all one letter (A or B); the reader reads in odd-sized
 * pieces, more slowly than they write, until end of file. Every writer must finish (no writer
 * sleeps forever while the pipe has room), the reader must get every byte, and, since a write
 * of at most PIPE_BUF bytes is atomic (POSIX), no record may be split by the other writer's.
 * Prints "hostile_pipe_writers: A 200 B 200 whole" when all holds. The system-call fuzzer found
 * that two writers on a full pipe woke each other for ever inside the kernel, with interrupts
 * off: the whole machine stopped.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RECORD  300
#define RECORDS 200

static int writer(int fd, char letter)
{
    char record[RECORD];
    memset(record, letter, sizeof(record));
    for (int i = 0; i < RECORDS; i++) {
        if (write(fd, record, sizeof(record)) != (long)sizeof(record)) {
            printf("hostile_pipe_writers: %c: short write %d\n", letter, i);
            return 1;
        }
    }
    return 0;
}

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        printf("hostile_pipe_writers: no pipe\n");
        return 1;
    }
    printf("hostile_pipe_writers: about to fill a pipe from two writers\n");
    int pids[2];
    for (int w = 0; w < 2; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            close(fds[0]);
            _exit(writer(fds[1], (char)('A' + w)));
        }
    }
    usleep(20000); /* both writers are blocked on a full pipe now */
    close(fds[1]);
    int counts[2] = { 0, 0 };
    char run_letter = 0;
    int run_length = 0;
    int split = 0;
    char buf[97];
    long n;
    unsigned reads = 0;
    while ((n = read(fds[0], buf, 1 + reads % sizeof(buf))) > 0) {
        for (long i = 0; i < n; i++) {
            if (buf[i] != 'A' && buf[i] != 'B') {
                split++;
                continue;
            }
            counts[buf[i] - 'A']++;
            if (run_length > 0 && buf[i] != run_letter) {
                split += run_length % RECORD != 0;
                run_length = 0;
            }
            run_letter = buf[i];
            run_length++;
        }
        if (++reads % 16 == 0) {
            sched_yield();
        }
    }
    split += run_length % RECORD != 0;
    int status[2];
    for (int w = 0; w < 2; w++) {
        waitpid(pids[w], &status[w], 0);
    }
    printf("hostile_pipe_writers: A %d B %d %s\n", counts[0] / RECORD, counts[1] / RECORD,
           split ? "SPLIT" : "whole");
    return counts[0] == RECORD * RECORDS && counts[1] == RECORD * RECORDS && !split &&
                   WEXITSTATUS(status[0]) == 0 && WEXITSTATUS(status[1]) == 0
               ? 0
               : 1;
}
