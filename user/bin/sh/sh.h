#pragma once
/*
 * What the parts of the shell share: the constants, a parsed line (jobs of commands with their
 * words and redirections), and each part's entry points. sh.c reads lines and runs jobs,
 * parse.c splits a line, builtins.c has the builtins, redirect.c applies redirections, jobs.c
 * waits for jobs and keeps the background and stopped ones.
 */
#include <stdbool.h>
#include <stddef.h>

#define LINE_SIZE      1024 /* longest line, newline excluded, plus the NUL */
#define MAX_ARGS       64   /* words per command */
#define MAX_STAGES     8    /* commands per pipeline */
#define MAX_JOBS       8    /* pipelines per line */
#define MAX_BACKGROUND 16   /* background jobs remembered for their "done" line */
#define PATH_SIZE      256
#define MAX_REDIRECTS  8 /* redirections per command */

enum redirect_kind {
    REDIRECT_IN,     /* N< FILE */
    REDIRECT_OUT,    /* N> FILE */
    REDIRECT_APPEND, /* N>> FILE */
    REDIRECT_DUP,    /* N>&M, N<&M */
};

struct redirect {
    enum redirect_kind kind;
    int fd;       /* the descriptor it sets */
    char *target; /* the file, or for REDIRECT_DUP the descriptor's number */
};

struct command {
    char *argv[MAX_ARGS + 1]; /* NULL-terminated */
    int argc;
    struct redirect redirects[MAX_REDIRECTS];
    int redirect_count;
};

struct job {
    struct command stages[MAX_STAGES];
    int count;       /* commands in the pipeline, at least 1 */
    bool background; /* ended with '&' */
};

/* A line: jobs separated by ';' or '&', run one after the other. */
struct job_list {
    struct job jobs[MAX_JOBS];
    int count; /* 0: the line was empty */
};

struct builtin {
    const char *name;
    int (*run)(int argc, char **argv); /* returns the exit status */
};

/* sh.c: the shell's state. */
extern bool job_control; /* the shell owns the terminal's foreground group */
extern int shell_pgid;   /* the shell's own process group; 0: not an interactive shell */
extern int last_status;  /* the last job's exit code, or 128+signal (sh -c's status) */

/* sh.c: prints "sh: " and the message on stderr. */
void shell_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * sh.c: finds the program name stands for (NAME itself with a '/', else /bin/NAME) and writes
 * its path (PATH_SIZE bytes). False when there is no such file; unless quiet, the reason is
 * printed: "command not found" and the builtins for a bare name, "No such file or directory"
 * for a path.
 */
bool resolve_program(const char *name, char *path, bool quiet);

/* sh.c: lets SIGINT through (true) or blocks it again (false), when the interactive shell
 * keeps it blocked but while waiting for a line: a child about to run a job, and exec, let
 * it through. Does nothing in a shell that does not block it. */
void let_interrupt_through(bool through);

/*
 * parse.c: splits line into jobs. The words (quotes removed) are written into words, which
 * needs 2 * LINE_SIZE bytes: every word adds at most one NUL to its characters. Returns false
 * after printing what is wrong with the line; an empty line gives an empty list.
 */
bool parse_line(const char *line, struct job_list *list, char *words);

/* builtins.c: the builtin called name, or NULL. */
const struct builtin *find_builtin(const char *name);

/* builtins.c: prints "builtins: " and the builtins' names, space-separated, and a newline. */
void print_builtins(void);

/* builtins.c: parses a whole decimal number into *value; false when text is not one. */
bool parse_number(const char *text, long *value);

/* jobs.c: remembers a background job's pid (its last command's), so its end gets a line
 * "[PID] done (status N)" from announce_background. */
void remember_background(int pid);

/* jobs.c: reaps, without blocking, every child that has ended, so no zombie lingers; a
 * background job keeps its status for announce_background, a stopped job forgets the pid. */
void reap_background(void);

/* jobs.c: prints "[PID] done (status N)" (or "(signal N)") for each background job reaped. */
void announce_background(void);

/*
 * jobs.c: waits for the count processes pids of group pgid, made the terminal's foreground
 * group meanwhile (with job_control). A job that stops is kept for jobs, fg and bg, with
 * "[PGID] stopped (signal N): NAME" (last_status 128+N). Otherwise, with report, says how the
 * last one ended when it failed and sets last_status.
 */
void wait_foreground(int pgid, const int *pids, int count, const char *name, bool report);

/* jobs.c: ignores SIGTSTP, SIGTTIN and SIGTTOU (the interactive shell), or gives them their
 * default action back (ignore false: a child about to run a job). */
void set_stop_signals(bool ignore);

/* jobs.c: the builtins `jobs` (lists the stopped jobs: "[PGID] stopped NAME"), `fg [PGID]`
 * (continues a stopped job, the last one without PGID, in the foreground and waits for it:
 * its status) and `bg [PGID]` (continues it in the background; its end is announced). */
int builtin_jobs(int argc, char **argv);
int builtin_fg(int argc, char **argv);
int builtin_bg(int argc, char **argv);

/* redirect.c: a descriptor set aside while a builtin runs with redirections; copy -1 when it
 * was closed before. */
struct saved_fd {
    int fd;
    int copy;
};

/*
 * redirect.c: applies command's redirections in order. With saved (room for MAX_REDIRECTS),
 * each descriptor is first set aside (at 10 or above) so restore_redirects can put it back:
 * the shell's own builtins. False after the first that fails (reported).
 */
bool apply_redirects(const struct command *command, struct saved_fd *saved, int *count);

/* redirect.c: puts back what apply_redirects set aside, last first. */
void restore_redirects(struct saved_fd *saved, int count);
