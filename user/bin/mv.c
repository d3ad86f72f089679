/*
 * mv SOURCE DEST, or mv SOURCE... DIR: renames each (rename), into DIR under its own last name
 * when the last argument is a directory. Across file systems (rename says EXDEV: / and /tmp are
 * separate tmpfs mounts) a regular file is copied (copy_file) and the source removed, as
 * coreutils does; a directory across file systems is refused. Errors read as coreutils':
 * "mv: cannot move 'a' to 'b/a': No such file or directory".
 */
#include <errno.h>
#include <fileutil.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_SIZE 4096

/* Moves source to dest; 0 or an errno value. */
static int move(const char *source, const char *dest)
{
    if (rename(source, dest) == 0) {
        return 0;
    }
    if (errno != EXDEV) {
        return errno;
    }
    struct stat st;
    if (lstat(source, &st) != 0) {
        return errno;
    }
    if (!S_ISREG(st.st_mode)) {
        return EXDEV;
    }
    const char *which;
    int error = copy_file(source, dest, &which);
    if (error != 0) {
        return error;
    }
    return unlink(source) == 0 ? 0 : errno;
}

int main(int argc, char **argv)
{
    int count = argc - 1;
    if (count < 2) {
        dprintf(STDERR_FILENO, "usage: mv SOURCE DEST | mv SOURCE... DIR\n");
        return 2;
    }
    const char *where = argv[argc - 1];
    if (count > 2 && !is_directory(where)) {
        dprintf(STDERR_FILENO, "mv: target '%s' is not a directory\n", where);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc - 1; i++) {
        static char dest[PATH_SIZE];
        int error =
            path_destination(argv[i], where, dest, sizeof(dest)) ? move(argv[i], dest) : errno;
        if (error != 0) {
            dprintf(STDERR_FILENO, "mv: cannot move '%s' to '%s': %s\n", argv[i], dest,
                    strerror(error));
            status = 1;
        }
    }
    return status;
}
