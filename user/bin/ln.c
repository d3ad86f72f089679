/*
 * ln [-s] [-f] TARGET LINK, or ln [-s] [-f] TARGET... DIR: a hard link (link) or, with -s, a
 * symbolic link holding TARGET as it was written (symlink). When the last argument is a
 * directory, each link goes into it under its target's last name. -f removes an existing LINK
 * first. Errors read as coreutils': "ln: failed to create symbolic link 'l': File exists".
 */
#include <errno.h>
#include <fileutil.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PATH_SIZE 4096

int main(int argc, char **argv)
{
    bool symbolic = false;
    bool force = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        for (const char *flag = argv[i] + 1; *flag; flag++) {
            if (*flag == 's') {
                symbolic = true;
            } else if (*flag == 'f') {
                force = true;
            } else {
                dprintf(STDERR_FILENO, "usage: ln [-s] [-f] TARGET... LINK|DIR\n");
                return 2;
            }
        }
    }
    int count = argc - i;
    if (count < 2) {
        dprintf(STDERR_FILENO, "usage: ln [-s] [-f] TARGET... LINK|DIR\n");
        return 2;
    }
    if (count > 2 && !is_directory(argv[argc - 1])) {
        dprintf(STDERR_FILENO, "ln: target '%s' is not a directory\n", argv[argc - 1]);
        return 1;
    }
    const char *where = argv[argc - 1];
    int status = 0;
    for (; i < argc - 1; i++) {
        static char link_path[PATH_SIZE];
        if (!path_destination(argv[i], where, link_path, sizeof(link_path))) {
            dprintf(STDERR_FILENO, "ln: %s: %s\n", where, strerror(errno));
            status = 1;
            continue;
        }
        if (force) {
            unlink(link_path);
        }
        if ((symbolic ? symlink(argv[i], link_path) : link(argv[i], link_path)) != 0) {
            dprintf(STDERR_FILENO, "ln: failed to create %s link '%s': %s\n",
                    symbolic ? "symbolic" : "hard", link_path, strerror(errno));
            status = 1;
        }
    }
    return status;
}
