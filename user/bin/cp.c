/*
 * cp [-r] SOURCE DEST, or cp [-r] SOURCE... DIR: copies each regular file's bytes (copy_file in
 * libsys): into DEST, or into DIR under its own last name. DEST is made with SOURCE's permission
 * bits less the umask, or truncated and rewritten when it exists. A file is not copied onto
 * itself ("cp: 'a' and 'a' are the same file", coreutils' words).
 *
 * A directory is copied only with -r (or -R; else "cp: -r not specified; omitting directory
 * 'd'"): DEST made (with the directory's permission bits less the umask) when missing, then
 * everything in it, depth first; a symbolic link in the tree is copied as a link, as
 * coreutils' -r does. A directory is never copied into itself ("cp: cannot copy a directory,
 * 'a', into itself, 'a/b'").
 */
#include <dirent.h>
#include <errno.h>
#include <fileutil.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_SIZE 4096

static bool recursive;

static bool copy_path(const char *from, const char *to, bool top);

/* Copies what is in directory from into the directory to. */
static bool copy_entries(const char *from, const char *to)
{
    DIR *dir = opendir(from);
    if (dir == NULL) {
        dprintf(STDERR_FILENO, "cp: cannot open directory '%s': %s\n", from, strerror(errno));
        return false;
    }
    bool ok = true;
    struct linux_dirent64 *d;
    char *child_from = malloc(PATH_SIZE);
    char *child_to = malloc(PATH_SIZE);
    while (child_from && child_to && (d = readdir(dir)) != NULL) {
        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) {
            continue;
        }
        if (!path_join(from, d->d_name, child_from, PATH_SIZE) ||
            !path_join(to, d->d_name, child_to, PATH_SIZE)) {
            dprintf(STDERR_FILENO, "cp: %s/%s: File name too long\n", from, d->d_name);
            ok = false;
            continue;
        }
        ok = copy_path(child_from, child_to, false) && ok;
    }
    ok = ok && child_from && child_to;
    free(child_from);
    free(child_to);
    closedir(dir);
    return ok;
}

/* Copies the directory from to to (made when missing). */
static bool copy_directory(const char *from, const char *to, const struct stat *st)
{
    if (mkdir(to, st->st_mode & 07777) != 0 && (errno != EEXIST || !is_directory(to))) {
        dprintf(STDERR_FILENO, "cp: cannot create directory '%s': %s\n", to, strerror(errno));
        return false;
    }
    return copy_entries(from, to);
}

/* Copies from (a file, a link or, with -r, a directory) to to. */
static bool copy_path(const char *from, const char *to, bool top)
{
    struct stat st;
    if ((top ? stat(from, &st) : lstat(from, &st)) != 0) {
        dprintf(STDERR_FILENO, "cp: cannot stat '%s': %s\n", from, strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!recursive) {
            dprintf(STDERR_FILENO, "cp: -r not specified; omitting directory '%s'\n", from);
            return false;
        }
        return copy_directory(from, to, &st);
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_SIZE];
        long n = readlink(from, target, sizeof(target) - 1);
        if (n < 0 || (target[n] = '\0', symlink(target, to)) != 0) {
            dprintf(STDERR_FILENO, "cp: cannot create symbolic link '%s': %s\n", to,
                    strerror(errno));
            return false;
        }
        return true;
    }
    const char *which;
    int error = copy_file(from, to, &which);
    if (error == EINVAL) {
        dprintf(STDERR_FILENO, "cp: '%s' and '%s' are the same file\n", from, to);
    } else if (error != 0) {
        dprintf(STDERR_FILENO, "cp: %s '%s': %s\n",
                which == to ? "cannot create regular file" : "cannot stat", which, strerror(error));
    }
    return error == 0;
}

/* True when to lies inside the directory from (a copy of from into itself). */
static bool inside(const char *from, const char *to)
{
    struct stat dir;
    struct stat at;
    char parent[PATH_SIZE];
    if (stat(from, &dir) != 0 || strlcpy(parent, to, sizeof(parent)) >= sizeof(parent)) {
        return false;
    }
    /* Walk up to's existing ancestors, comparing each with from. */
    for (;;) {
        char *slash = strrchr(parent, '/');
        if (slash == NULL) {
            return stat(".", &at) == 0 && at.st_dev == dir.st_dev && at.st_ino == dir.st_ino;
        }
        *(slash == parent ? slash + 1 : slash) = '\0';
        if (stat(parent, &at) == 0 && at.st_dev == dir.st_dev && at.st_ino == dir.st_ino) {
            return true;
        }
        if (slash == parent) {
            return false;
        }
    }
}

int main(int argc, char **argv)
{
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        if (strcmp(argv[first], "-r") == 0 || strcmp(argv[first], "-R") == 0) {
            recursive = true;
        } else {
            break;
        }
    }
    int count = argc - first;
    if (count < 2) {
        dprintf(STDERR_FILENO, "usage: cp [-r] SOURCE DEST | cp [-r] SOURCE... DIR\n");
        return 2;
    }
    const char *where = argv[argc - 1];
    if (count > 2 && !is_directory(where)) {
        dprintf(STDERR_FILENO, "cp: target '%s' is not a directory\n", where);
        return 1;
    }
    int status = 0;
    for (int i = first; i < argc - 1; i++) {
        static char dest[PATH_SIZE];
        if (!path_destination(argv[i], where, dest, sizeof(dest))) {
            dprintf(STDERR_FILENO, "cp: %s: %s\n", where, strerror(errno));
            status = 1;
            continue;
        }
        if (recursive && is_directory(argv[i]) && inside(argv[i], dest)) {
            dprintf(STDERR_FILENO, "cp: cannot copy a directory, '%s', into itself, '%s'\n",
                    argv[i], dest);
            status = 1;
            continue;
        }
        if (!copy_path(argv[i], dest, true)) {
            status = 1;
        }
    }
    return status;
}
