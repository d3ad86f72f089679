/*
 * ls [-l] [-a] [PATH...]: lists each directory (the current one when no PATH is given), one
 * name per line, sorted, directories with a trailing '/'. Names starting with '.' are left out
 * unless -a is given. With -l each line is "TYPE SIZE NAME", TYPE being d (directory),
 * - (file), c (device) or p (pipe), SIZE in bytes from fstat. A PATH that is a file is listed
 * as itself. With several PATHs each listing starts with "PATH:".
 *
 * The directory is read with open(O_DIRECTORY) and getdents64 (through opendir/readdir).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_SIZE 256

struct entry {
    char *name;
    char type; /* 'd', '-', 'c', 'p' or '?' */
    unsigned long size;
};

static bool long_format;
static bool show_hidden;

static char type_of_mode(unsigned mode)
{
    if (S_ISDIR(mode)) {
        return 'd';
    }
    if (S_ISREG(mode)) {
        return '-';
    }
    if (S_ISCHR(mode)) {
        return 'c';
    }
    if (S_ISFIFO(mode)) {
        return 'p';
    }
    return '?';
}

static char type_of_dirent(unsigned char d_type)
{
    switch (d_type) {
    case DT_DIR:
        return 'd';
    case DT_REG:
        return '-';
    case DT_CHR:
        return 'c';
    default:
        return '?';
    }
}

/* Fills in e->size, and e->type when getdents64 did not know it, with fstat on path. */
static void stat_entry(const char *path, struct entry *e)
{
    int fd = open(path, O_RDONLY, 0);
    struct stat st;
    if (fd < 0) {
        return;
    }
    if (fstat(fd, &st) == 0) {
        e->size = st.st_size;
        e->type = type_of_mode(st.st_mode);
    }
    close(fd);
}

static void print_entry(const struct entry *e)
{
    const char *slash = e->type == 'd' ? "/" : "";
    if (long_format) {
        printf("%c %8lu %s%s\n", e->type, e->size, e->name, slash);
    } else {
        printf("%s%s\n", e->name, slash);
    }
}

/* Insertion sort by name: directories are small. */
static void sort_entries(struct entry *entries, int n)
{
    for (int i = 1; i < n; i++) {
        struct entry e = entries[i];
        int j = i;
        while (j > 0 && strcmp(entries[j - 1].name, e.name) > 0) {
            entries[j] = entries[j - 1];
            j--;
        }
        entries[j] = e;
    }
}

/* Lists the directory at path. False on an error (reported). */
static bool list_directory(const char *path)
{
    DIR *dir = opendir(path);
    if (dir == NULL) {
        dprintf(STDERR_FILENO, "ls: %s: %s\n", path, strerror(errno));
        return false;
    }
    struct entry *entries = NULL;
    int count = 0;
    int capacity = 0;
    bool ok = true;
    struct linux_dirent64 *d;
    errno = 0;
    while ((d = readdir(dir)) != NULL) {
        if (d->d_name[0] == '.' && !show_hidden) {
            continue;
        }
        if (count == capacity) {
            capacity = capacity == 0 ? 16 : capacity * 2;
            struct entry *grown = realloc(entries, (size_t)capacity * sizeof(*entries));
            if (grown == NULL) {
                dprintf(STDERR_FILENO, "ls: out of memory\n");
                ok = false;
                break;
            }
            entries = grown;
        }
        struct entry *e = &entries[count];
        e->name = strdup(d->d_name);
        if (e->name == NULL) {
            dprintf(STDERR_FILENO, "ls: out of memory\n");
            ok = false;
            break;
        }
        e->type = type_of_dirent(d->d_type);
        e->size = 0;
        count++;
    }
    if (ok && errno != 0) {
        dprintf(STDERR_FILENO, "ls: %s: %s\n", path, strerror(errno));
        ok = false;
    }
    closedir(dir);

    sort_entries(entries, count);
    for (int i = 0; i < count; i++) {
        if (long_format || entries[i].type == '?') {
            char full[PATH_SIZE];
            bool root = strcmp(path, "/") == 0;
            snprintf(full, sizeof(full), "%s%s%s", path, root ? "" : "/", entries[i].name);
            stat_entry(full, &entries[i]);
        }
        print_entry(&entries[i]);
        free(entries[i].name);
    }
    free(entries);
    return ok;
}

/* Lists path: a directory's entries, or the file itself. */
static bool list(const char *path, bool with_header, bool first)
{
    int fd = open(path, O_RDONLY, 0);
    if (fd < 0) {
        dprintf(STDERR_FILENO, "ls: %s: %s\n", path, strerror(errno));
        return false;
    }
    struct stat st;
    int r = fstat(fd, &st);
    close(fd);
    if (r == 0 && !S_ISDIR(st.st_mode)) {
        struct entry e = { (char *)path, type_of_mode(st.st_mode), st.st_size };
        print_entry(&e);
        return true;
    }
    if (with_header) {
        printf("%s%s:\n", first ? "" : "\n", path);
    }
    return list_directory(path);
}

int main(int argc, char **argv)
{
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        for (const char *flag = argv[first] + 1; *flag != '\0'; flag++) {
            if (*flag == 'l') {
                long_format = true;
            } else if (*flag == 'a') {
                show_hidden = true;
            } else {
                dprintf(STDERR_FILENO, "usage: ls [-l] [-a] [PATH...]\n");
                return 2;
            }
        }
    }
    if (first == argc) {
        return list(".", false, true) ? 0 : 1;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        if (!list(argv[i], argc - first > 1, i == first)) {
            status = 1;
        }
    }
    return status;
}
