/*
 * execve with arguments larger than a page, as Linux takes them: up to a quarter of the stack
 * limit in strings and their pointers, each string up to 32 pages (MAX_ARG_STRLEN).
 *
 * The parent runs itself again (/proc/self/exe) with 2000 arguments and an environment of 600
 * variables, one of them 100 KiB; the child checks every byte it was given and that
 * /proc/self/cmdline holds the same arguments. Then two calls that must fail with E2BIG and
 * leave the caller running: a 129 KiB string, and 300 KiB in all (the limit is 256 KiB at the
 * default ustack=1M). Prints "bigargs: ok CHECK" lines, "bigargs: all ok" at the end.
 */
#define TEST_NAME "bigargs"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ARGS       2000
#define SMALL_VARS 600
#define BIG_VAR    (100 * 1024)

/* The byte at position i of the big variable's value. */
static char big_byte(unsigned i)
{
    return (char)('a' + i * 7 % 26);
}

static int child(int argc, char **argv, char **envp)
{
    if (argc != ARGS) {
        fail("argc", "%d, want %d", argc, ARGS);
        return 1;
    }
    size_t cmdline_bytes = 0;
    for (int i = 1; i < argc; i++) {
        char want[16];
        snprintf(want, sizeof(want), "arg%d", i);
        if (strcmp(argv[i], want) != 0) {
            fail("argv", "argv[%d] is %s", i, argv[i]);
            return 1;
        }
    }
    for (int i = 0; i < argc; i++) {
        cmdline_bytes += strlen(argv[i]) + 1;
    }
    int vars = 0;
    for (; envp[vars]; vars++) {
        if (strncmp(envp[vars], "BIG=", 4) == 0) {
            const char *value = envp[vars] + 4;
            size_t n = strlen(value);
            for (size_t i = 0; i < n; i++) {
                if (value[i] != big_byte((unsigned)i)) {
                    fail("big variable", "byte %u differs", (unsigned)i);
                    return 1;
                }
            }
            if (n != BIG_VAR) {
                fail("big variable", "%u bytes", (unsigned)n);
                return 1;
            }
        }
    }
    if (vars != SMALL_VARS + 1) {
        fail("environment", "%d variables, want %d", vars, SMALL_VARS + 1);
        return 1;
    }
    /* /proc/self/cmdline: the same arguments, each NUL-terminated. */
    int fd = open("/proc/self/cmdline", O_RDONLY, 0);
    static char cmdline[64 * 1024];
    size_t got = 0;
    long n;
    while (fd >= 0 && (n = read(fd, cmdline + got, sizeof(cmdline) - got)) > 0) {
        got += (size_t)n;
    }
    close(fd);
    if (got != cmdline_bytes ||
        strcmp(cmdline + got - strlen(argv[argc - 1]) - 1, argv[argc - 1]) != 0) {
        fail("cmdline", "%u bytes, want %u", (unsigned)got, (unsigned)cmdline_bytes);
        return 1;
    }
    printf("bigargs: child saw %d arguments, %d variables and %u bytes of cmdline\n", argc, vars,
           (unsigned)got);
    return 0;
}

/* A list of count strings "PREFIXi", NULL-terminated, first set to first when given. */
static char **numbered(int count, const char *prefix, const char *first)
{
    char **list = calloc((size_t)count + 1, sizeof(*list));
    for (int i = 0; list && i < count; i++) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%s%d", prefix, i);
        list[i] = strdup(i == 0 && first ? first : buf);
    }
    return list;
}

int main(int argc, char **argv, char **envp)
{
    if (argc > 1 && strcmp(argv[1], "arg1") == 0) {
        return child(argc, argv, envp);
    }
    char self[256];
    long len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len < 0) {
        fail("readlink /proc/self/exe", "%s", strerror(errno));
        return 1;
    }
    self[len] = '\0';

    char **args = numbered(ARGS, "arg", self);
    char **env = numbered(SMALL_VARS + 1, "VAR", NULL);
    char *big = malloc(BIG_VAR + 5);
    memcpy(big, "BIG=", 4);
    for (unsigned i = 0; i < BIG_VAR; i++) {
        big[4 + i] = big_byte(i);
    }
    big[4 + BIG_VAR] = '\0';
    env[SMALL_VARS] = big;

    int pid = fork();
    if (pid == 0) {
        execve(self, args, env);
        printf("bigargs: FAIL execve: %s\n", strerror(errno));
        _exit(1);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || status != 0) {
        fail("large execve", "the child ended with status %#x", status);
    } else {
        ok("large execve");
    }

    /* One string over 32 pages. */
    char *huge = malloc(129 * 1024 + 1);
    memset(huge, 'x', 129 * 1024);
    huge[129 * 1024] = '\0';
    char *one[] = { self, huge, NULL };
    if (execve(self, one, envp) == -1 && errno == E2BIG) {
        ok("a string over 32 pages is E2BIG");
    } else {
        fail("a string over 32 pages", "errno %d", errno);
    }
    /* 300 KiB in all, over a quarter of the 1 MiB stack limit. */
    char *parts[4] = { self, huge, huge, huge };
    huge[100 * 1024] = '\0';
    char *many[] = { parts[0], parts[1], parts[2], parts[3], NULL };
    if (execve(self, many, envp) == -1 && errno == E2BIG) {
        ok("300 KiB of arguments is E2BIG");
    } else {
        fail("300 KiB of arguments", "errno %d", errno);
    }
    if (failures == 0) {
        printf("bigargs: all ok\n");
    }
    return failures ? 1 : 0;
}
