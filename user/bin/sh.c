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
 * A command is a builtin (help ps kill exec exit clear dev cd pwd) or a program: /bin/NAME, or
 * NAME itself when it contains a '/'. Every command of a pipeline runs in its own child (a
 * builtin in a pipeline too, so `ps | head` works; cd or exit there changes nothing). The
 * shell then waits for all of them and reports the last one when it failed:
 *
 *     sh: NAME: exit status N          sh: NAME: killed by signal N
 *
 * Job control is the minimum Ctrl-C needs: the shell makes itself a process group and the
 * terminal's foreground group; each job gets a group of its own (its first process's pid),
 * which becomes the foreground while the shell waits for it, so Ctrl-C interrupts the job and
 * not the shell; background jobs keep their own groups and are not interrupted, and read
 * their stdin from /dev/null (nothing like SIGTTIN keeps them off the terminal). Finished
 * background jobs are reaped before each prompt and before each line runs, and announced
 * before the next prompt: "[PID] done (status N)".
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
#include <sys/wait.h>
#include <unistd.h>

#define LINE_SIZE 1024    /* longest line, newline excluded, plus the NUL */
#define MAX_ARGS 64       /* words per command */
#define MAX_STAGES 8      /* commands per pipeline */
#define MAX_JOBS 8        /* pipelines per line */
#define MAX_BACKGROUND 16 /* background jobs remembered for their "done" line */
#define PATH_SIZE 256
#define MAX_DEVS 32
#define MAX_REDIRECTS 8   /* redirections per command */

#define BUILTIN_LIST "help ps kill exec exit clear dev cd pwd"

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

/* A stage is either a builtin or a program at path. */
struct stage_target {
    const struct builtin *builtin;
    char path[PATH_SIZE];
};

static bool job_control; /* the shell owns the terminal's foreground group */
static int shell_pgid;   /* the shell's own process group */
static int last_status;  /* for sh -c: exit code, or 128+signal */

/* A background job whose end gets a "done" line: reaped at once, announced at the next prompt. */
struct background_job {
    int pid;       /* its last command; 0: a free slot */
    bool finished; /* reaped, not yet announced */
    int status;
};

static struct background_job background[MAX_BACKGROUND];

/* Input not yet split into lines (a pipe or a file may hand over several at once). */
static char input[LINE_SIZE];
static size_t input_length;

static void shell_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "sh: " and the message on stderr. */
static void shell_error(const char *fmt, ...)
{
    char message[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof(message), fmt, args);
    va_end(args);
    dprintf(STDERR_FILENO, "sh: %s\n", message);
}

/* --- Reading lines -------------------------------------------------------------------------- */

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

/* --- Parsing -------------------------------------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* True for a character that ends an unquoted word. */
static bool ends_word(char c)
{
    return c == '\0' || is_blank(c) || c == '|' || c == '&' || c == ';' || c == '<' ||
           c == '>';
}

/*
 * Reads one word at *p (quotes removed) into words at *used, NUL-terminated; advances both.
 * False after saying so when a quote is not closed.
 */
static bool read_word(const char **p, char *words, size_t *used)
{
    char quote = '\0';
    while (quote != '\0' || !ends_word(**p)) {
        char c = *(*p)++;
        if (c == '\0') {
            shell_error("missing closing %c", quote);
            return false;
        }
        if (quote == '\0' && (c == '\'' || c == '"')) {
            quote = c;
            continue;
        }
        if (c == quote) {
            quote = '\0';
            continue;
        }
        if (c == '\\' && quote == '\0' && **p != '\0') {
            c = *(*p)++;
        } else if (c == '\\' && quote == '"' && (**p == '"' || **p == '\\')) {
            c = *(*p)++;
        }
        words[(*used)++] = c;
    }
    words[(*used)++] = '\0';
    return true;
}

/* The length of a redirection operator at p ("<", ">", ">>", ">&", "2>", "10>&"...), or 0. */
static size_t redirect_at(const char *p)
{
    size_t n = 0;
    while (p[n] >= '0' && p[n] <= '9') {
        n++;
    }
    if (p[n] != '<' && p[n] != '>') {
        return 0;
    }
    return n + 1 + (p[n + 1] == '&' || (p[n] == '>' && p[n + 1] == '>'));
}

/*
 * Parses the redirection at *p (redirect_at said it is one) and its target into command.
 * False after saying what is wrong.
 */
static bool parse_redirect(const char **p, struct command *command, char *words, size_t *used)
{
    if (command->redirect_count == MAX_REDIRECTS) {
        shell_error("too many redirections in one command (at most %d)", MAX_REDIRECTS);
        return false;
    }
    struct redirect *r = &command->redirects[command->redirect_count++];
    const char *op = *p + redirect_at(*p);
    char *end;
    long fd = strtol(*p, &end, 10);
    bool input = *end == '<';
    r->fd = end == *p ? !input : (int)fd;
    if (end != *p && (fd < 0 || fd > 255)) {
        shell_error("%ld: bad file descriptor", fd);
        return false;
    }
    bool doubled = op - end == 2; /* ">>", ">&", "<&" */
    r->kind = doubled && end[1] == '&' ? REDIRECT_DUP
              : doubled                ? REDIRECT_APPEND
              : input                  ? REDIRECT_IN
                                       : REDIRECT_OUT;
    *p = op;
    while (is_blank(**p)) {
        (*p)++;
    }
    if (ends_word(**p)) {
        shell_error("syntax error: no file after '%.*s'", (int)(op - end), end);
        return false;
    }
    r->target = words + *used;
    if (!read_word(p, words, used)) {
        return false;
    }
    if (r->kind == REDIRECT_DUP && (r->target[0] < '0' || r->target[0] > '9')) {
        shell_error("%s: bad file descriptor", r->target);
        return false;
    }
    return true;
}

/* Starts a new, empty job in list; false (after saying so) when the line has too many. */
static bool new_job(struct job_list *list)
{
    if (list->count == MAX_JOBS) {
        shell_error("too many commands on one line (at most %d)", MAX_JOBS);
        return false;
    }
    struct job *job = &list->jobs[list->count++];
    job->count = 1;
    job->background = false;
    job->stages[0].argc = 0;
    job->stages[0].redirect_count = 0;
    return true;
}

/*
 * Splits line into jobs. The words (quotes removed) are written into words, which needs
 * 2 * LINE_SIZE bytes: every word adds at most one NUL to its characters. Returns false after
 * printing what is wrong with the line; an empty line gives an empty list.
 */
static bool parse_line(const char *line, struct job_list *list, char *words)
{
    size_t used = 0;
    list->count = 0;
    if (!new_job(list)) {
        return false;
    }
    struct job *job = &list->jobs[0];
    struct command *command = &job->stages[0];

    const char *p = line;
    for (;;) {
        while (is_blank(*p)) {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        if (redirect_at(p) > 0) {
            if (!parse_redirect(&p, command, words, &used)) {
                return false;
            }
            continue;
        }
        if (*p == '|' || *p == '&' || *p == ';') {
            char op = *p++;
            if (command->argc == 0 && (op == '|' || command->redirect_count == 0)) {
                shell_error("syntax error near '%c'", op);
                return false;
            }
            if (op == '|' && job->count == MAX_STAGES) {
                shell_error("too many commands in the pipeline (at most %d)", MAX_STAGES);
                return false;
            }
            if (op == '|') {
                command = &job->stages[job->count++];
                command->argc = 0;
                command->redirect_count = 0;
                continue;
            }
            job->background = op == '&';
            while (is_blank(*p)) {
                p++;
            }
            if (*p == '\0') {
                break; /* a trailing '&' or ';' ends the last job */
            }
            if (!new_job(list)) {
                return false;
            }
            job = &list->jobs[list->count - 1];
            command = &job->stages[0];
            continue;
        }

        /* A word: characters up to an unquoted blank or operator. */
        if (command->argc == MAX_ARGS) {
            shell_error("too many words in one command (at most %d)", MAX_ARGS);
            return false;
        }
        command->argv[command->argc++] = words + used;
        if (!read_word(&p, words, &used)) {
            return false;
        }
    }

    if (command->argc == 0 && (command->redirect_count == 0 || job->count > 1)) {
        if (list->count == 1 && job->count == 1) {
            list->count = 0; /* an empty line */
            return true;
        }
        shell_error("syntax error: '|' at the end of the line");
        return false;
    }
    for (int j = 0; j < list->count; j++) {
        struct job *each = &list->jobs[j];
        for (int i = 0; i < each->count; i++) {
            each->stages[i].argv[each->stages[i].argc] = NULL;
        }
    }
    return true;
}

/* --- Builtins ------------------------------------------------------------------------------- */

static int builtin_help(int argc, char **argv);
static int builtin_ps(int argc, char **argv);
static int builtin_kill(int argc, char **argv);
static int builtin_exec(int argc, char **argv);
static int builtin_exit(int argc, char **argv);
static int builtin_clear(int argc, char **argv);
static int builtin_dev(int argc, char **argv);
static int builtin_cd(int argc, char **argv);
static int builtin_pwd(int argc, char **argv);

static const struct builtin builtins[] = {
    { "help", builtin_help }, { "ps", builtin_ps },   { "kill", builtin_kill },
    { "exec", builtin_exec }, { "exit", builtin_exit }, { "clear", builtin_clear },
    { "dev", builtin_dev },   { "cd", builtin_cd },   { "pwd", builtin_pwd },
};

static const struct builtin *find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        if (strcmp(builtins[i].name, name) == 0) {
            return &builtins[i];
        }
    }
    return NULL;
}

/* Parses a whole decimal number into *value; false when text is not one. */
static bool parse_number(const char *text, long *value)
{
    char *end;
    errno = 0;
    *value = strtol(text, &end, 10);
    return end != text && *end == '\0' && errno == 0;
}

static int builtin_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("builtins: " BUILTIN_LIST "\n");
    return 0;
}

static int builtin_ps(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static struct ringlet_proc_info procs[RINGLET_MAX_PROCS];
    int n = ringlet_procs(procs, RINGLET_MAX_PROCS);
    if (n < 0) {
        shell_error("ps: %s", strerror(errno));
        return 1;
    }
    printf("%5s %5s %-8s %7s %5s %s\n", "PID", "PPID", "STATE", "RUNS", "PAGES", "NAME");
    for (int i = 0; i < n; i++) {
        const struct ringlet_proc_info *p = &procs[i];
        printf("%5d %5d %-8s %7u %5u %.*s\n", (int)p->pid, (int)p->parent_pid,
               ringlet_proc_state_name(p->state), (unsigned)p->runs, (unsigned)p->pages,
               RINGLET_NAME_SIZE, p->name);
    }
    return 0;
}

/* A signal given as a number (9) or a name with or without SIG (KILL, SIGKILL); -1 if neither. */
static int parse_signal(const char *text)
{
    static const struct {
        const char *name;
        int number;
    } names[] = {
        { "INT", SIGINT },   { "ILL", SIGILL },   { "TRAP", SIGTRAP }, { "FPE", SIGFPE },
        { "KILL", SIGKILL }, { "SEGV", SIGSEGV }, { "PIPE", SIGPIPE }, { "TERM", SIGTERM },
    };
    long number;
    if (parse_number(text, &number)) {
        return number > 0 && number < NSIG ? (int)number : -1;
    }
    if (strncmp(text, "SIG", 3) == 0) {
        text += 3;
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i].name, text) == 0) {
            return names[i].number;
        }
    }
    return -1;
}

/* kill PID [SIG] or kill -SIG PID...: SIGTERM unless a signal is given. */
static int builtin_kill(int argc, char **argv)
{
    int signal = SIGTERM;
    int first = 1;
    int last = argc - 1;
    if (argc >= 2 && argv[1][0] == '-') {
        signal = parse_signal(argv[1] + 1);
        first = 2;
    } else if (argc == 3) {
        signal = parse_signal(argv[2]);
        last = 1;
    } else if (argc > 3) {
        first = argc; /* too many words: the usage line below */
    }
    if (signal < 0) {
        shell_error("kill: unknown signal (use a number, or INT, KILL, TERM, ...)");
        return 1;
    }
    if (first > last) {
        shell_error("kill: usage: kill PID [SIGNAL] | kill -SIGNAL PID...");
        return 1;
    }
    int status = 0;
    for (int i = first; i <= last; i++) {
        long pid;
        if (!parse_number(argv[i], &pid) || pid <= 0) {
            shell_error("kill: %s: not a process id", argv[i]);
            status = 1;
        } else if (kill((int)pid, signal) != 0) {
            shell_error("kill: %s: %s", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}

static bool resolve_program(const char *name, char *path, bool quiet);

/* exec PROGRAM [ARGS]: becomes the program; on failure says why and the shell goes on. */
static int builtin_exec(int argc, char **argv)
{
    if (argc < 2) {
        shell_error("exec: usage: exec PROGRAM [ARGS]");
        return 1;
    }
    char path[PATH_SIZE];
    if (!resolve_program(argv[1], path, true)) {
        shell_error("exec: %s: No such file or directory", argv[1]);
        return 1;
    }
    execve(path, argv + 1, environ);
    shell_error("exec: %s: %s", argv[1], strerror(errno));
    return 1;
}

/* exit [N]: ends the shell with N (0 when not given). */
static int builtin_exit(int argc, char **argv)
{
    long status = 0;
    if (argc > 2) {
        shell_error("exit: usage: exit [N]");
        return 1;
    }
    if (argc == 2 && !parse_number(argv[1], &status)) {
        shell_error("exit: %s: not a number", argv[1]);
        return 1;
    }
    exit((int)(status & 0xff));
}

static int builtin_clear(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static const char clear_screen[] = "\033[2J\033[H";
    return write(STDOUT_FILENO, clear_screen, sizeof(clear_screen) - 1) < 0 ? 1 : 0;
}

static int builtin_dev(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static struct ringlet_dev_info devs[MAX_DEVS];
    int n = ringlet_devs(devs, MAX_DEVS);
    if (n < 0) {
        shell_error("dev: %s", strerror(errno));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        printf("%-10.*s %.*s\n", (int)sizeof(devs[i].name), devs[i].name,
               (int)sizeof(devs[i].description), devs[i].description);
    }
    return 0;
}

/* cd [DIR]: DIR, or / when none is given. */
static int builtin_cd(int argc, char **argv)
{
    if (argc > 2) {
        shell_error("cd: usage: cd [DIR]");
        return 1;
    }
    const char *dir = argc == 2 ? argv[1] : "/";
    if (chdir(dir) != 0) {
        shell_error("cd: %s: %s", dir, strerror(errno));
        return 1;
    }
    return 0;
}

static int builtin_pwd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char cwd[PATH_SIZE];
    if (getcwd(cwd, sizeof(cwd)) < 0) {
        shell_error("pwd: %s", strerror(errno));
        return 1;
    }
    printf("%s\n", cwd);
    return 0;
}

/* --- Running jobs --------------------------------------------------------------------------- */

/*
 * Finds the program name stands for (NAME itself with a '/', else /bin/NAME) and writes its
 * path. False when there is no such file; unless quiet, the reason is printed: "command not
 * found" and the builtins for a bare name, "No such file or directory" for a path.
 */
static bool resolve_program(const char *name, char *path, bool quiet)
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
        printf("builtins: " BUILTIN_LIST "\n");
    }
    return false;
}

/* Opens what one redirection names and puts it at its descriptor. False after saying why. */
static bool apply_redirect(const struct redirect *r)
{
    int fd;
    if (r->kind == REDIRECT_DUP) {
        fd = atoi(r->target);
        if (fd == r->fd) {
            return true;
        }
        if (dup2(fd, r->fd) < 0) {
            shell_error("%d: %s", fd, strerror(errno));
            return false;
        }
        return true;
    }
    static const int flags[] = {
        [REDIRECT_IN] = O_RDONLY,
        [REDIRECT_OUT] = O_WRONLY | O_CREAT | O_TRUNC,
        [REDIRECT_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
    };
    fd = open(r->target, flags[r->kind], 0666);
    if (fd < 0) {
        shell_error("%s: %s", r->target, strerror(errno));
        return false;
    }
    if (fd != r->fd) {
        int moved = dup2(fd, r->fd);
        close(fd);
        if (moved < 0) {
            shell_error("%d: %s", r->fd, strerror(errno));
            return false;
        }
    }
    return true;
}

/* A descriptor the shell set aside while a builtin runs with redirections: -1 when it was
 * closed before. */
struct saved_fd {
    int fd;
    int copy;
};

/*
 * Applies command's redirections in order. With saved (room for MAX_REDIRECTS), each
 * descriptor is first set aside (at 10 or above) so restore_redirects can put it back: the
 * shell's own builtins. False after the first that fails (reported).
 */
static bool apply_redirects(const struct command *command, struct saved_fd *saved, int *count)
{
    for (int i = 0; i < command->redirect_count; i++) {
        const struct redirect *r = &command->redirects[i];
        bool seen = false;
        for (int j = 0; saved && j < *count; j++) {
            seen |= saved[j].fd == r->fd;
        }
        if (saved && !seen) {
            saved[*count] = (struct saved_fd){ r->fd, fcntl(r->fd, F_DUPFD_CLOEXEC, 10) };
            (*count)++;
        }
        if (!apply_redirect(r)) {
            return false;
        }
    }
    return true;
}

/* Puts back what apply_redirects set aside, last first. */
static void restore_redirects(struct saved_fd *saved, int count)
{
    for (int i = count - 1; i >= 0; i--) {
        if (saved[i].copy < 0) {
            close(saved[i].fd);
        } else {
            dup2(saved[i].copy, saved[i].fd);
            close(saved[i].copy);
        }
    }
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
 * In a background job's first process: stdin becomes /dev/null. There is no SIGTTIN to stop a
 * background job that reads the terminal, so it would otherwise take lines typed for the shell.
 */
static void stdin_from_null(void)
{
    int fd = open("/dev/null", O_RDONLY, 0);
    if (fd >= 0 && fd != STDIN_FILENO) {
        dup2(fd, STDIN_FILENO);
        close(fd);
    }
}

/* Remembers a background job's pid, so its end gets a "done" line. */
static void remember_background(int pid)
{
    for (int i = 0; i < MAX_BACKGROUND; i++) {
        if (background[i].pid == 0) {
            background[i] = (struct background_job){ .pid = pid, .finished = false };
            return;
        }
    }
}

/*
 * Reaps, without blocking, every child that has ended, so no zombie lingers (ps does not list
 * a job that is over); background jobs keep their status for announce_background.
 */
static void reap_background(void)
{
    int status;
    int pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < MAX_BACKGROUND; i++) {
            if (background[i].pid == pid) {
                background[i].finished = true;
                background[i].status = status;
            }
        }
    }
}

/* Prints "[PID] done (status N)" (or "(signal N)") for each background job that has ended. */
static void announce_background(void)
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

/* Waits for pid, retrying when interrupted. Returns false when it cannot be waited for. */
static bool wait_for(int pid, int *status)
{
    for (;;) {
        if (waitpid(pid, status, 0) == pid) {
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

/*
 * Starts every stage of job in a child, connected by pipes, all in one new process group;
 * then waits for them (foreground) or announces the job (background).
 */
static void start_job(struct job *job, const struct stage_target *targets)
{
    int pids[MAX_STAGES];
    int started = 0;
    int pgid = 0;   /* the job's group: its first process's pid */
    int input = -1; /* the read end of the pipe from the previous stage */

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
            if (job_control) {
                setpgid(0, pgid); /* pgid 0 (the first stage): a group of its own */
            }
            if (input >= 0) {
                dup2(input, STDIN_FILENO);
                close(input);
            } else if (job->background) {
                stdin_from_null();
            }
            if (fds[1] >= 0) {
                dup2(fds[1], STDOUT_FILENO);
                close(fds[1]);
                close(fds[0]);
            }
            run_stage(&job->stages[i], &targets[i]);
        }
        if (pgid == 0) {
            pgid = pid;
        }
        if (job_control) {
            setpgid(pid, pgid); /* the child does the same: whichever runs first wins */
        }
        pids[started++] = pid;
        if (input >= 0) {
            close(input);
        }
        if (fds[1] >= 0) {
            close(fds[1]);
        }
        input = fds[0];
    }
    if (input >= 0) {
        close(input);
    }
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
    if (job_control) {
        tcsetpgrp(STDIN_FILENO, pgid);
    }
    int status = 0;
    bool waited = false;
    for (int i = 0; i < started; i++) {
        waited = wait_for(pids[i], &status);
    }
    if (job_control) {
        tcsetpgrp(STDIN_FILENO, shell_pgid);
    }
    if (started == job->count && waited) {
        report_status(job->stages[job->count - 1].argv[0], status);
    }
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
/* Ctrl-C at the prompt: the handler does nothing, and the interrupted read() (no SA_RESTART)
 * returns EINTR, so the half-typed line is dropped and a new prompt follows, as in POSIX
 * shells. Programs the shell starts get the default action back at exec. */
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
    job_control = tcsetpgrp(STDIN_FILENO, shell_pgid) == 0;
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
