/*
 * The shell's jobs once they run: waiting for a foreground job (which may stop: Ctrl-Z), the
 * background jobs whose end gets a "done" line, the stopped jobs, and the builtins for them:
 * jobs, fg, bg.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

/* A background job whose end gets a "done" line: reaped at once, announced at the next prompt. */
struct background_job {
    int pid;       /* its last command; 0: a free slot */
    bool finished; /* reaped, not yet announced */
    int status;
};

static struct background_job background[MAX_BACKGROUND];

/* A job Ctrl-Z (or any stop signal) stopped, for jobs, fg and bg. */
struct stopped_job {
    int pgid;
    int pids[MAX_STAGES]; /* its processes not yet waited for */
    int count;            /* 0: a free slot */
    char name[32];
};

static struct stopped_job stopped_jobs[MAX_BACKGROUND];

/* --- Background jobs ------------------------------------------------------------------------ */

void remember_background(int pid)
{
    for (int i = 0; i < MAX_BACKGROUND; i++) {
        if (background[i].pid == 0) {
            background[i] = (struct background_job){ .pid = pid, .finished = false };
            return;
        }
    }
}

/* A stopped job's process that was killed meanwhile (kill -9 PID) is no longer waited for;
 * a job with none left is gone from the list. */
static void forget_stopped_pid(struct stopped_job *job, int pid)
{
    for (int i = 0; i < job->count; i++) {
        if (job->pids[i] == pid) {
            job->pids[i] = job->pids[--job->count];
            return;
        }
    }
}

void reap_background(void)
{
    int status;
    int pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < MAX_BACKGROUND; i++) {
            if (background[i].pid == pid) {
                background[i].finished = true;
                background[i].status = status;
            }
            forget_stopped_pid(&stopped_jobs[i], pid);
        }
    }
}

void announce_background(void)
{
    for (int i = 0; i < MAX_BACKGROUND; i++) {
        struct background_job *job = &background[i];
        if (job->pid == 0 || !job->finished) {
            continue;
        }
        if (WIFSIGNALED(job->status)) {
            printf("[%d] done (signal %d)\n", job->pid, WTERMSIG(job->status));
        } else {
            printf("[%d] done (status %d)\n", job->pid, WEXITSTATUS(job->status));
        }
        job->pid = 0;
    }
}

/* --- Foreground jobs ------------------------------------------------------------------------ */

/* Waits for pid to end (or, with job control, to stop), retrying when interrupted. Returns
 * false when it cannot be waited for. */
static bool wait_for(int pid, int *status)
{
    for (;;) {
        if (waitpid(pid, status, job_control ? WUNTRACED : 0) == pid) {
            return true;
        }
        if (errno != EINTR) {
            return false;
        }
    }
}

/* Reports how the job's last command ended (nothing when it exited with 0). */
static void report_status(const char *name, int status)
{
    if (WIFSIGNALED(status)) {
        shell_error("%s: killed by signal %d", name, WTERMSIG(status));
        last_status = 128 + WTERMSIG(status);
    } else {
        last_status = WEXITSTATUS(status);
        if (last_status != 0) {
            shell_error("%s: exit status %d", name, last_status);
        }
    }
}

/* Keeps the processes of group pgid not yet waited for as a stopped job, and says so. */
static void remember_stopped(int pgid, const int *pids, int count, const char *name, int sig)
{
    printf("[%d] stopped (signal %d): %s\n", pgid, sig, name);
    last_status = 128 + sig;
    for (int i = 0; i < MAX_BACKGROUND; i++) {
        struct stopped_job *job = &stopped_jobs[i];
        if (job->count == 0) {
            job->pgid = pgid;
            job->count = count;
            memcpy(job->pids, pids, (size_t)count * sizeof(int));
            strncpy(job->name, name, sizeof(job->name) - 1);
            job->name[sizeof(job->name) - 1] = '\0';
            return;
        }
    }
    shell_error("too many stopped jobs: %d is left stopped", pgid);
}

void wait_foreground(int pgid, const int *pids, int count, const char *name, bool report)
{
    if (job_control) {
        tcsetpgrp(STDIN_FILENO, pgid);
    }
    int status = 0;
    bool waited = false;
    bool stopped = false;
    for (int i = 0; i < count && !stopped; i++) {
        waited = wait_for(pids[i], &status);
        if (waited && WIFSTOPPED(status)) {
            remember_stopped(pgid, pids + i, count - i, name, WSTOPSIG(status));
            stopped = true;
        }
    }
    if (job_control) {
        tcsetpgrp(STDIN_FILENO, shell_pgid);
    }
    if (report && waited && !stopped) {
        report_status(name, status);
    }
}

void set_stop_signals(bool ignore)
{
    struct kernel_sigaction act = { .handler = ignore ? SIG_IGN : SIG_DFL };
    rt_sigaction(SIGTSTP, &act, NULL, sizeof(act.mask));
    rt_sigaction(SIGTTIN, &act, NULL, sizeof(act.mask));
    rt_sigaction(SIGTTOU, &act, NULL, sizeof(act.mask));
}

/* --- jobs, fg, bg --------------------------------------------------------------------------- */

/* The stopped job of group argv[1], or the last one stopped (argc 1); NULL, said, if none. */
static struct stopped_job *find_stopped(int argc, char **argv, const char *builtin)
{
    long pgid = 0;
    if (argc > 1 && !parse_number(argv[1], &pgid)) {
        shell_error("%s: %s: not a process group", builtin, argv[1]);
        return NULL;
    }
    struct stopped_job *found = NULL;
    for (int i = 0; i < MAX_BACKGROUND; i++) {
        struct stopped_job *job = &stopped_jobs[i];
        if (job->count != 0 && (pgid == 0 || job->pgid == pgid)) {
            found = job;
        }
    }
    if (found == NULL) {
        shell_error("%s: no such stopped job", builtin);
    }
    return found;
}

int builtin_jobs(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (int i = 0; i < MAX_BACKGROUND; i++) {
        if (stopped_jobs[i].count != 0) {
            printf("[%d] stopped %s\n", stopped_jobs[i].pgid, stopped_jobs[i].name);
        }
    }
    return 0;
}

int builtin_fg(int argc, char **argv)
{
    struct stopped_job *found = find_stopped(argc, argv, "fg");
    if (found == NULL) {
        return 1;
    }
    struct stopped_job job = *found;
    found->count = 0;
    printf("%s\n", job.name);
    if (kill(-job.pgid, SIGCONT) != 0) {
        shell_error("fg: %d: %s", job.pgid, strerror(errno));
        return 1;
    }
    wait_foreground(job.pgid, job.pids, job.count, job.name, true);
    return last_status;
}

int builtin_bg(int argc, char **argv)
{
    struct stopped_job *found = find_stopped(argc, argv, "bg");
    if (found == NULL) {
        return 1;
    }
    int last = found->pids[found->count - 1];
    found->count = 0;
    printf("[%d] %s &\n", found->pgid, found->name);
    if (kill(-found->pgid, SIGCONT) != 0) {
        shell_error("bg: %d: %s", found->pgid, strerror(errno));
        return 1;
    }
    remember_background(last); /* announced by its last command's pid, as `job &` is */
    return 0;
}
