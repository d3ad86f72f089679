/*
 * The shell's builtins: help ps kill exec exit clear dev cd pwd here, jobs fg bg in jobs.c,
 * all in the one table below. Each takes argc/argv and returns an exit status; sh.c runs a
 * lone one in the shell itself (so cd and exit work) and one in a pipeline in a child.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ringlet.h>
#include <unistd.h>

#include "sh.h"

#define MAX_DEVS 32

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
    { "help", builtin_help }, { "ps", builtin_ps },     { "kill", builtin_kill },
    { "exec", builtin_exec }, { "exit", builtin_exit }, { "clear", builtin_clear },
    { "dev", builtin_dev },   { "cd", builtin_cd },     { "pwd", builtin_pwd },
    { "jobs", builtin_jobs }, { "fg", builtin_fg },     { "bg", builtin_bg },
};

const struct builtin *find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        if (strcmp(builtins[i].name, name) == 0) {
            return &builtins[i];
        }
    }
    return NULL;
}

void print_builtins(void)
{
    printf("builtins:");
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        printf(" %s", builtins[i].name);
    }
    printf("\n");
}

bool parse_number(const char *text, long *value)
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
    print_builtins();
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
        { "HUP", SIGHUP },   { "QUIT", SIGQUIT }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
        { "ALRM", SIGALRM }, { "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
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
    let_interrupt_through(true);
    execve(path, argv + 1, environ);
    int error = errno;
    let_interrupt_through(false);
    shell_error("exec: %s: %s", argv[1], strerror(error));
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
