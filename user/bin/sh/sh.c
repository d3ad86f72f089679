/*
 * sh: Ringlet's shell. It prints "$ ", reads one line (the console's cooked mode does the echo
 * and the editing), splits it into words and runs it:
 *
 *     words         separated by spaces and tabs; '...' and "..." group words and are removed
 *                   ("..." understands \" and \\; outside quotes a backslash keeps the next
 *                   character as it is)
 *     a | b | c     a pipeline (a job) of up to 8 commands, each one's stdout the next one's
 *                   stdin
 *     job &         run the job in the background and print "[PID]" (its last command's pid)
 *     job ; job     several jobs on one line (up to 8), run in order; `fpu & fpu` starts one
 *                   fpu in the background and runs the other in the foreground
 *     < F, > F      redirections, anywhere among a command's words, applied left to right
 *     >> F, N> F    after the pipes are set up, as POSIX shells do: `<` reads F, `>` truncates
 *     N>&M          or creates F (mode 0666 less the umask), `>>` appends to it; a number N
 *                   right before the operator names the descriptor (0 for `<`, 1 for `>`
 *                   without one); `N>&M` makes N a copy of M (`2>&1`). A failed redirection
 *                   is reported ("sh: F: No such file or directory") and the command does not
 *                   run (status 1). A builtin run by the shell itself gets its redirections
 *                   for its run only; a line of redirections alone (`> F`) just makes F.
 *
 * A command is a builtin (help ps kill exec exit clear dev cd pwd jobs fg bg) or a program:
 * /bin/NAME, or NAME itself when it contains a '/'. Every command of a pipeline runs in its own
 * child (a builtin in a pipeline too, so `ps | head` works; cd or exit there changes nothing).
 * The shell then waits for all of them and reports the last one when it failed:
 *
 *     sh: NAME: exit status N          sh: NAME: killed by signal N
 *
 * Job control: the shell makes itself a process group and the terminal's foreground group;
 * each job gets a group of its own (its first process's pid), which becomes the foreground
 * while the shell waits for it, so Ctrl-C interrupts the job and not the shell; background
 * jobs keep their own groups and are not interrupted, and read their stdin from /dev/null.
 * Ctrl-Z stops the foreground job (the shell ignores SIGTSTP itself): the shell prints
 * "[PGID] stopped (signal N): NAME" and prompts again; `jobs` lists stopped jobs, `fg [PGID]`
 * continues one in the foreground and `bg [PGID]` in the background (the last stopped one
 * without PGID). Finished background jobs are reaped before each prompt and before each line
 * runs, and announced before the next prompt: "[PID] done (status N)". (jobs.c)
 *
 * End of input (Ctrl-D at the start of a line) prints "exit" and ends the shell with 0.
 * `sh -c LINE` runs one line and exits with its status (128+N after signal N).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ringlet.h>
#include <unistd.h>

#include "sh.h"

/* A stage is either a builtin or a program at path. */
struct stage_target {
    const struct builtin *builtin;
    char path[PATH_SIZE];
};

bool job_control;
int shell_pgid;
int last_status;
static bool interrupt_blocked; /* SIGINT is blocked but while waiting for a line */

/* Input not yet split into lines (a pipe or a file may hand over several at once). */
static char input[LINE_SIZE];
static size_t input_length;

void shell_error(const char *fmt, ...)
{
    char message[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof(message), fmt, args);
    va_end(args);
    dprintf(STDERR_FILENO, "sh: %s\n", message);
}

/* --- Reading lines -------------------------------------------------------------------------- */

/*
 * Waits until stdin has a line, letting SIGINT through only while it waits (pselect6's mask):
 * the shell keeps SIGINT blocked otherwise, so a Ctrl-C typed between the prompt and the wait
 * stays pending and ends the wait at once instead of being lost. False when a signal ended it.
 */
static bool wait_for_input(void)
{
    uint32_t readable[32] = { 1u << STDIN_FILENO };
    unsigned long long none = 0;
    struct {
        const unsigned long long *set;
        unsigned long size;
    } mask = { &none, sizeof(none) };
    return pselect6(STDIN_FILENO + 1, readable, NULL, NULL, NULL, &mask) >= 0 || errno != EINTR;
}

void let_interrupt_through(bool through)
{
    if (interrupt_blocked) {
        unsigned long long set = 1ull << (SIGINT - 1);
        rt_sigprocmask(through ? SIG_UNBLOCK : SIG_BLOCK, &set, NULL, sizeof(set));
    }
}

enum read_result {
    READ_LINE,        /* a line is in the buffer */
    READ_TOO_LONG,    /* a line did not fit; it was skipped */
    READ_END,         /* end of input */
    READ_INTERRUPTED, /* read() said EINTR: the half-typed line is gone */
    READ_ERROR,
};

/*
 * Reads the next line from stdin into line (size LINE_SIZE) without its newline. Input that
 * ends without a newline still makes a last line. A line longer than LINE_SIZE-1 is consumed
 * up to its newline and reported as READ_TOO_LONG.
 */
static enum read_result read_line(char *line)
{
    bool skipping = false;
    for (;;) {
        char *newline = memchr(input, '\n', input_length);
        if (newline != NULL) {
            size_t n = (size_t)(newline - input);
            if (!skipping) {
                memcpy(line, input, n);
                line[n] = '\0';
            }
            input_length -= n + 1;
            memmove(input, newline + 1, input_length);
            return skipping ? READ_TOO_LONG : READ_LINE;
        }
        if (input_length == sizeof(input)) {
            skipping = true; /* no newline in a full buffer: drop it and keep looking */
            input_length = 0;
        }
        if (interrupt_blocked && !wait_for_input()) {
            input_length = 0;
            return READ_INTERRUPTED;
        }
        long n = read(STDIN_FILENO, input + input_length, sizeof(input) - input_length);
        if (n < 0 && errno == EINTR) {
            input_length = 0;
            return READ_INTERRUPTED;
        }
        if (n < 0) {
            return READ_ERROR;
        }
        if (n == 0) {
            if (input_length == 0 && !skipping) {
                return READ_END;
            }
            /* The last line has no newline: hand it over as it is. */
            memcpy(line, input, input_length);
            line[input_length] = '\0';
            input_length = 0;
            return skipping ? READ_TOO_LONG : READ_LINE;
        }
        input_length += (size_t)n;
    }
}

/* --- Running jobs --------------------------------------------------------------------------- */

bool resolve_program(const char *name, char *path, bool quiet)
{
    bool has_slash = strchr(name, '/') != NULL;
    int n = has_slash ? snprintf(path, PATH_SIZE, "%s", name)
                      : snprintf(path, PATH_SIZE, "/bin/%s", name);
    if (n >= PATH_SIZE) {
        if (!quiet) {
            shell_error("%s: File name too long", name);
        }
        return false;
    }
    int fd = open(path, O_RDONLY, 0);
    if (fd >= 0) {
        close(fd);
        return true;
    }
    if (errno != ENOENT && errno != ENOTDIR) {
        return true; /* it exists in some form: execve will say what is wrong */
    }
    if (!quiet && has_slash) {
        shell_error("%s: No such file or directory", name);
    } else if (!quiet) {
        shell_error("%s: command not found", name);
        print_builtins();
    }
    return false;
}

/* In a child: runs one stage of a job (its pipes already set up). Never returns. */
__attribute__((noreturn)) static void run_stage(struct command *command,
                                                const struct stage_target *target)
{
    if (!apply_redirects(command, NULL, NULL)) {
        _exit(1);
    }
    if (target->builtin != NULL) {
        exit(target->builtin->run(command->argc, command->argv));
    }
    execve(target->path, command->argv, environ);
    int error = errno;
    shell_error("%s: %s", command->argv[0], strerror(error));
    _exit(error == ENOENT ? 127 : 126);
}

/*
 * In a background job's first process: stdin becomes /dev/null, so a job started with `&`
 * reads end of input instead of being stopped by SIGTTIN when it reads the terminal.
 */
static void stdin_from_null(void)
{
    int fd = open("/dev/null", O_RDONLY, 0);
    if (fd >= 0 && fd != STDIN_FILENO) {
        dup2(fd, STDIN_FILENO);
        close(fd);
    }
}

/*
 * In the child for stage i of job: joins the job's group (pgid 0: the first stage makes its
 * own), takes stdin from previous_read (the pipe from the stage before, or -1) and stdout from
 * next_pipe[1] (-1 for the last stage), then runs the stage. Does not return.
 */
__attribute__((noreturn)) static void run_stage_child(struct job *job, int i,
                                                      const struct stage_target *target, int pgid,
                                                      int previous_read, const int next_pipe[2])
{
    let_interrupt_through(true);
    if (job_control) {
        setpgid(0, pgid);
    }
    if (shell_pgid != 0) {
        set_stop_signals(false); /* the interactive shell ignores them, not its jobs */
    }
    if (previous_read >= 0) {
        dup2(previous_read, STDIN_FILENO);
        close(previous_read);
    } else if (job->background) {
        stdin_from_null();
    }
    if (next_pipe[1] >= 0) {
        dup2(next_pipe[1], STDOUT_FILENO);
        close(next_pipe[1]);
        close(next_pipe[0]);
    }
    run_stage(&job->stages[i], target);
}

/*
 * Starts every stage of job in a child, connected by pipes, all in one new process group,
 * and stores their pids; returns how many started (fewer than the stages after an error it
 * has printed) and the group in *pgid.
 */
static int fork_stages(struct job *job, const struct stage_target *targets, int *pids, int *pgid)
{
    int started = 0;
    int previous_read = -1; /* the read end of the pipe from the previous stage */
    *pgid = 0;              /* the job's group: its first process's pid */
    for (int i = 0; i < job->count; i++) {
        int fds[2] = { -1, -1 };
        if (i + 1 < job->count && pipe(fds) != 0) {
            shell_error("pipe: %s", strerror(errno));
            break;
        }
        int pid = fork();
        if (pid < 0) {
            shell_error("fork: %s", strerror(errno));
            if (fds[0] >= 0) {
                close(fds[0]);
                close(fds[1]);
            }
            break;
        }
        if (pid == 0) {
            run_stage_child(job, i, &targets[i], *pgid, previous_read, fds);
        }
        if (*pgid == 0) {
            *pgid = pid;
        }
        if (job_control) {
            setpgid(pid, *pgid); /* the child does the same: whichever runs first wins */
        }
        pids[started++] = pid;
        if (previous_read >= 0) {
            close(previous_read);
        }
        if (fds[1] >= 0) {
            close(fds[1]);
        }
        previous_read = fds[0];
    }
    if (previous_read >= 0) {
        close(previous_read);
    }
    return started;
}

/* Starts job's stages; then waits for them (foreground) or announces the job (background). */
static void start_job(struct job *job, const struct stage_target *targets)
{
    int pids[MAX_STAGES];
    int pgid;
    int started = fork_stages(job, targets, pids, &pgid);
    if (started == 0) {
        return;
    }
    if (job->background) {
        printf("[%d]\n", pids[started - 1]);
        remember_background(pids[started - 1]);
        /*
         * Give the job the CPU once before the prompt comes back, so it gets going (to its
         * first sleep or read) before the next command runs: `sleep 3 &` then `ps` shows the
         * sleep blocked, as on Linux, where a forked child usually runs first.
         */
        sched_yield();
        return;
    }
    wait_foreground(pgid, pids, started, job->stages[job->count - 1].argv[0],
                    started == job->count);
}

/* Runs one parsed job: a lone foreground builtin in the shell, anything else in children. */
static void run_job(struct job *job)
{
    static struct stage_target targets[MAX_STAGES];
    struct saved_fd saved[MAX_REDIRECTS];
    int saved_count = 0;
    if (job->stages[0].argc == 0) { /* redirections alone: make the files, run nothing */
        last_status = apply_redirects(&job->stages[0], saved, &saved_count) ? 0 : 1;
        restore_redirects(saved, saved_count);
        return;
    }
    for (int i = 0; i < job->count; i++) {
        targets[i].builtin = find_builtin(job->stages[i].argv[0]);
        if (targets[i].builtin == NULL &&
            !resolve_program(job->stages[i].argv[0], targets[i].path, false)) {
            last_status = 127;
            return;
        }
    }
    /* cd and exit only make sense in the shell itself. */
    if (job->count == 1 && !job->background && targets[0].builtin != NULL) {
        struct command *command = &job->stages[0];
        if (apply_redirects(command, saved, &saved_count)) {
            last_status = targets[0].builtin->run(command->argc, command->argv);
        } else {
            last_status = 1;
        }
        restore_redirects(saved, saved_count);
        return;
    }
    start_job(job, targets);
}

/* Parses one line and runs its jobs in order. */
static void run_line(const char *line)
{
    static struct job_list list;
    static char words[2 * LINE_SIZE];

    if (strlen(line) >= LINE_SIZE) {
        shell_error("line too long (at most %d characters)", LINE_SIZE - 1);
        last_status = 2;
        return;
    }
    if (!parse_line(line, &list, words)) {
        last_status = 2;
        return;
    }
    for (int i = 0; i < list.count; i++) {
        run_job(&list.jobs[i]);
    }
}

/* Puts the shell in a process group of its own and makes it the terminal's foreground. */
/* Ctrl-C at the prompt: the handler does nothing, and the interrupted wait (pselect6, the only
 * place SIGINT is let through: wait_for_input) returns EINTR, so the half-typed line is dropped
 * and a new prompt follows, as in POSIX shells. Programs the shell starts get the default
 * action back at exec, and SIGINT unblocked. */
static void on_interrupt(int sig)
{
    (void)sig;
}

static void take_terminal(void)
{
    if (!isatty(STDIN_FILENO)) {
        return;
    }
    struct kernel_sigaction act = { .handler = (unsigned)(uintptr_t)on_interrupt };
    rt_sigaction(SIGINT, &act, NULL, sizeof(act.mask));
    int pid = getpid();
    if (getpgid(0) != pid && setpgid(0, 0) != 0) {
        return; /* no groups: Ctrl-C stays the kernel's business */
    }
    shell_pgid = pid;
    /* Ctrl-Z and the terminal's checks stop jobs, never the shell: ignored before the shell
     * takes the terminal from the background group it is in now (SIGTTOU otherwise). */
    set_stop_signals(true);
    job_control = tcsetpgrp(STDIN_FILENO, shell_pgid) == 0;
    unsigned long long set = 1ull << (SIGINT - 1);
    interrupt_blocked = rt_sigprocmask(SIG_BLOCK, &set, NULL, sizeof(set)) == 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-c") == 0) {
        run_line(argv[2]);
        return last_status;
    }
    if (argc != 1) {
        dprintf(STDERR_FILENO, "usage: sh [-c LINE]\n");
        return 2;
    }
    take_terminal();

    static char line[LINE_SIZE];
    for (;;) {
        reap_background();
        announce_background();
        write(STDOUT_FILENO, "$ ", 2);
        enum read_result r = read_line(line);
        reap_background(); /* jobs that ended while the line was typed */
        switch (r) {
        case READ_LINE:
            run_line(line);
            break;
        case READ_TOO_LONG:
            shell_error("line too long (at most %d characters)", LINE_SIZE - 1);
            break;
        case READ_INTERRUPTED:
            break;
        case READ_END:
            printf("exit\n");
            return 0;
        case READ_ERROR:
            shell_error("read: %s", strerror(errno));
            return 1;
        }
    }
}
