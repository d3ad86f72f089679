/*
 * mkdir [-p] [-m MODE] DIR...: makes each directory (mode 0777 less the umask, or MODE in
 * octal). With -p the missing parents are made too and an existing directory is no error.
 * Errors read as coreutils' do: "mkdir: cannot create directory 'a/b': No such file or
 * directory"; the exit status is then 1.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_SIZE 4096

static bool parents;
static int mode = 0777;
static bool mode_given;

/* Makes path; with -p, its parents first. False after saying why it failed. */
static bool make(const char *path)
{
    if (parents) {
        static char prefix[PATH_SIZE];
        if (strlcpy(prefix, path, sizeof(prefix)) >= sizeof(prefix)) {
            dprintf(STDERR_FILENO, "mkdir: %s: File name too long\n", path);
            return false;
        }
        /* Each prefix that ends before a '/': a/, a/b/, ... */
        for (char *slash = strchr(prefix + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            struct stat st;
            if (stat(prefix, &st) != 0 && mkdir(prefix, 0777) != 0 && errno != EEXIST) {
                dprintf(STDERR_FILENO, "mkdir: cannot create directory '%s': %s\n", prefix,
                        strerror(errno));
                return false;
            }
            *slash = '/';
        }
    }
    if (mkdir(path, mode) != 0) {
        struct stat st;
        if (parents && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            return true;
        }
        dprintf(STDERR_FILENO, "mkdir: cannot create directory '%s': %s\n", path, strerror(errno));
        return false;
    }
    if (mode_given && chmod(path, mode) != 0) { /* -m is not limited by the umask */
        dprintf(STDERR_FILENO, "mkdir: %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "-p") == 0) {
            parents = true;
        } else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
            char *end;
            mode = (int)strtol(argv[++i], &end, 8);
            mode_given = true;
            if (*end != '\0' || mode < 0 || mode > 07777) {
                dprintf(STDERR_FILENO, "mkdir: invalid mode '%s'\n", argv[i]);
                return 1;
            }
        } else {
            break;
        }
    }
    if (i == argc) {
        dprintf(STDERR_FILENO, "usage: mkdir [-p] [-m MODE] DIR...\n");
        return 2;
    }
    int status = 0;
    for (; i < argc; i++) {
        if (!make(argv[i])) {
            status = 1;
        }
    }
    return status;
}
