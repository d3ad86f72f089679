/*
 * rm [-r] [-f] PATH...: removes each file (unlink); with -r (or -R) a directory and everything
 * under it, depth first, never following a symbolic link out of the tree (lstat). -f says
 * nothing about a path that does not exist and leaves the status 0 for it.
 *
 * As coreutils' rm (with its default --preserve-root): `rm -r /` (or any path that is the
 * root) is refused, and so are "." and ".." as last names. Messages are coreutils':
 * "rm: cannot remove 'x': No such file or directory", "rm: cannot remove 'd': Is a directory".
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
static bool force;

static bool fail(const char *path, int error)
{
    if (force && error == ENOENT) {
        return true;
    }
    dprintf(STDERR_FILENO, "rm: cannot remove '%s': %s\n", path, strerror(error));
    return false;
}

static bool remove_path(const char *path);

/* Removes everything in the directory at path, then the directory. */
static bool remove_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (dir == NULL) {
        return fail(path, errno);
    }
    /* Names first, removal after: a directory changed while it is read may skip entries. */
    char **names = NULL;
    int count = 0;
    struct linux_dirent64 *d;
    while ((d = readdir(dir)) != NULL) {
        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) {
            continue;
        }
        char **grown = realloc(names, (size_t)(count + 1) * sizeof(*names));
        if (grown == NULL || (grown[count] = strdup(d->d_name)) == NULL) {
            names = grown ? grown : names;
            closedir(dir);
            for (int i = 0; i < count; i++) {
                free(names[i]);
            }
            free(names);
            return fail(path, ENOMEM);
        }
        names = grown;
        count++;
    }
    closedir(dir);
    bool ok = true;
    for (int i = 0; i < count; i++) {
        char *child = malloc(PATH_SIZE);
        if (child == NULL || !path_join(path, names[i], child, PATH_SIZE)) {
            ok = fail(path, child ? ENAMETOOLONG : ENOMEM) && ok;
        } else {
            ok = remove_path(child) && ok;
        }
        free(child);
        free(names[i]);
    }
    free(names);
    if (rmdir(path) != 0) {
        return fail(path, errno);
    }
    return ok;
}

static bool remove_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        return fail(path, errno);
    }
    if (!S_ISDIR(st.st_mode)) {
        return unlink(path) == 0 || fail(path, errno);
    }
    if (!recursive) {
        return fail(path, EISDIR);
    }
    return remove_tree(path);
}

/* The checks coreutils makes before it touches an operand. */
static bool allowed(const char *path)
{
    char last[256];
    if (path_last(path, last, sizeof(last)) &&
        (strcmp(last, ".") == 0 || strcmp(last, "..") == 0)) {
        dprintf(STDERR_FILENO, "rm: refusing to remove '.' or '..' directory: skipping '%s'\n",
                path);
        return false;
    }
    struct stat st;
    struct stat root;
    if (recursive && stat(path, &st) == 0 && stat("/", &root) == 0 && st.st_dev == root.st_dev &&
        st.st_ino == root.st_ino) {
        if (strcmp(path, "/") == 0) {
            dprintf(STDERR_FILENO, "rm: it is dangerous to operate recursively on '/'\n");
        } else {
            dprintf(STDERR_FILENO,
                    "rm: it is dangerous to operate recursively on '%s' (same as '/')\n", path);
        }
        dprintf(STDERR_FILENO, "rm: refusing to remove the root directory\n");
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char *flag = argv[i] + 1; *flag; flag++) {
            if (*flag == 'r' || *flag == 'R') {
                recursive = true;
            } else if (*flag == 'f') {
                force = true;
            } else {
                dprintf(STDERR_FILENO, "usage: rm [-r] [-f] PATH...\n");
                return 2;
            }
        }
    }
    if (i == argc && !force) {
        dprintf(STDERR_FILENO, "usage: rm [-r] [-f] PATH...\n");
        return 2;
    }
    int status = 0;
    for (; i < argc; i++) {
        if (!allowed(argv[i]) || !remove_path(argv[i])) {
            status = 1;
        }
    }
    return status;
}
