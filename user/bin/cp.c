/*
 * cp SOURCE DEST, or cp SOURCE... DIR: copies each regular file's bytes (copy_file in libsys):
 * into DEST, or into DIR under its own last name. DEST is made with SOURCE's permission bits
 * less the umask, or truncated and rewritten when it exists. Directories are not copied
 * ("cp: -r not specified; omitting directory 'd'", coreutils' words); neither is a file onto
 * itself ("cp: 'a' and 'a' are the same file").
 */
#include <errno.h>
#include <fileutil.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PATH_SIZE 4096

int main(int argc, char **argv)
{
    int count = argc - 1;
    if (count < 2) {
        dprintf(STDERR_FILENO, "usage: cp SOURCE DEST | cp SOURCE... DIR\n");
        return 2;
    }
    const char *where = argv[argc - 1];
    if (count > 2 && !is_directory(where)) {
        dprintf(STDERR_FILENO, "cp: target '%s' is not a directory\n", where);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc - 1; i++) {
        static char dest[PATH_SIZE];
        const char *which;
        if (is_directory(argv[i])) {
            dprintf(STDERR_FILENO, "cp: -r not specified; omitting directory '%s'\n", argv[i]);
            status = 1;
            continue;
        }
        if (!path_destination(argv[i], where, dest, sizeof(dest))) {
            dprintf(STDERR_FILENO, "cp: %s: %s\n", where, strerror(errno));
            status = 1;
            continue;
        }
        int error = copy_file(argv[i], dest, &which);
        if (error == EINVAL) {
            dprintf(STDERR_FILENO, "cp: '%s' and '%s' are the same file\n", argv[i], dest);
            status = 1;
        } else if (error != 0) {
            dprintf(STDERR_FILENO, "cp: %s '%s': %s\n",
                    which == dest ? "cannot create regular file" : "cannot stat", which,
                    strerror(error));
            status = 1;
        }
    }
    return status;
}
