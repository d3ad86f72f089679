/*
 * ls [-l] [-a] [-d] [PATH...]: lists each directory (the current one when no PATH is given),
 * one name per line, sorted, directories with a trailing '/'. Names starting with '.' are left
 * out unless -a is given. A PATH that is a file, or any PATH with -d, is listed as itself.
 * With several PATHs each listing starts with "PATH:".
 *
 * -l is Linux's long format (coreutils' ls -l), columns aligned over one listing:
 *
 *     total 12
 *     drwxr-xr-x 2 root root   60 Dec  3 07:09 bin
 *     crw-rw-rw- 1 root root 1, 3 Dec  3 07:09 null
 *     lrwxrwxrwx 1 root root    4 Dec  3 07:10 link -> motd
 *
 * mode string (type, rwx with s/S and t/T), links, owner and group by name (/etc/passwd,
 * /etc/group; the number when there is none), size (major, minor for a device), modification
 * time ("Mon dd HH:MM" within six months, else "Mon dd  YYYY"; UTC), name, and for a symbolic
 * link "-> target". "total" counts 1 KiB blocks. Entries are lstat'ed: a link is shown, not
 * followed; a PATH given on the command line is followed when it ends in '/'.
 *
 * The directory is read with open(O_DIRECTORY) and getdents64 (through opendir/readdir).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fileutil.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PATH_SIZE  4096
#define NAME_SIZE  33
#define SIX_MONTHS (365 * 86400 / 2)

struct entry {
    char *name;
    struct stat st;
    bool have_stat;
    unsigned char d_type; /* from getdents64, for an entry lstat cannot see */
    char *target;         /* a symbolic link's target, for -l */
};

static bool long_format;
static bool show_hidden;
static bool directories_as_files;
static int64_t now;

static void mode_string(unsigned mode, char out[11])
{
    static const char types[] = "?pc?d?b?-?l?s???";
    out[0] = types[(mode & S_IFMT) >> 12];
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
        out[1 + i] = mode & (0400u >> i) ? rwx[i] : '-';
    }
    if (mode & S_ISUID) {
        out[3] = out[3] == 'x' ? 's' : 'S';
    }
    if (mode & S_ISGID) {
        out[6] = out[6] == 'x' ? 's' : 'S';
    }
    if (mode & S_ISVTX) {
        out[9] = out[9] == 'x' ? 't' : 'T';
    }
    out[10] = '\0';
}

/* The name of id in table (PASSWD_FILE or GROUP_FILE), or the number itself. The last answer
 * for each table is kept: a listing asks about the same few ids again and again. */
static void owner_name(const char *table, unsigned id, char *out)
{
    static struct {
        bool known;
        unsigned id;
        char name[NAME_SIZE];
    } last[2];
    int which = strcmp(table, PASSWD_FILE) == 0 ? 0 : 1;
    if (!last[which].known || last[which].id != id) {
        if (!id_name(table, id, last[which].name, NAME_SIZE)) {
            snprintf(last[which].name, NAME_SIZE, "%u", id);
        }
        last[which].known = true;
        last[which].id = id;
    }
    strlcpy(out, last[which].name, NAME_SIZE);
}

/* The size column: bytes, or "major, minor" for a device (Linux's dev_t split). */
static void size_column(const struct stat *st, char *out, size_t size)
{
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
        snprintf(out, size, "%u, %u", (st->st_rdev >> 8) & 0xfff,
                 (st->st_rdev & 0xff) | ((st->st_rdev >> 12) & 0xfff00));
    } else {
        snprintf(out, size, "%lu", (unsigned long)st->st_size);
    }
}

static void time_column(int64_t mtime, char *out, size_t size)
{
    struct tm tm;
    gmtime64_r(mtime, &tm);
    if (mtime > now - SIX_MONTHS && mtime <= now + 3600) {
        snprintf(out, size, "%s %2d %02d:%02d", month_name(tm.tm_mon), tm.tm_mday, tm.tm_hour,
                 tm.tm_min);
    } else {
        snprintf(out, size, "%s %2d  %d", month_name(tm.tm_mon), tm.tm_mday, tm.tm_year + 1900);
    }
}

static int digits(unsigned long n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* Prints entries in the long format, each column as wide as its widest value. */
static void print_long(struct entry *entries, int count)
{
    int links_width = 1;
    int owner_width = 1;
    int group_width = 1;
    int size_width = 1;
    static char owners[2][NAME_SIZE];
    char size[32];
    for (int i = 0; i < count; i++) {
        const struct stat *st = &entries[i].st;
        if (!entries[i].have_stat) {
            continue;
        }
        int w = digits(st->st_nlink);
        links_width = w > links_width ? w : links_width;
        owner_name(PASSWD_FILE, st->st_uid, owners[0]);
        owner_name(GROUP_FILE, st->st_gid, owners[1]);
        w = (int)strlen(owners[0]);
        owner_width = w > owner_width ? w : owner_width;
        w = (int)strlen(owners[1]);
        group_width = w > group_width ? w : group_width;
        size_column(st, size, sizeof(size));
        w = (int)strlen(size);
        size_width = w > size_width ? w : size_width;
    }
    for (int i = 0; i < count; i++) {
        const struct entry *e = &entries[i];
        char mode[11];
        char when[32];
        if (!e->have_stat) { /* gone between getdents64 and lstat: coreutils' question marks */
            printf("%c????????? %*s %-*s %-*s %*s %12s %s\n", e->d_type == DT_LNK ? 'l' : '?',
                   links_width, "?", owner_width, "?", group_width, "?", size_width, "?", "?",
                   e->name);
            continue;
        }
        mode_string(e->st.st_mode, mode);
        owner_name(PASSWD_FILE, e->st.st_uid, owners[0]);
        owner_name(GROUP_FILE, e->st.st_gid, owners[1]);
        size_column(&e->st, size, sizeof(size));
        time_column(e->st.st_mtime, when, sizeof(when));
        printf("%s %*u %-*s %-*s %*s %s %s%s%s\n", mode, links_width, (unsigned)e->st.st_nlink,
               owner_width, owners[0], group_width, owners[1], size_width, size, when, e->name,
               e->target ? " -> " : "", e->target ? e->target : "");
    }
}

static void print_short(const struct entry *e)
{
    bool dir = e->have_stat && S_ISDIR(e->st.st_mode);
    printf("%s%s\n", e->name, dir ? "/" : "");
}

/* Fills in e's status (lstat of path) and, for a link in the long format, its target. */
static void stat_entry(const char *path, struct entry *e)
{
    e->have_stat = lstat(path, &e->st) == 0;
    e->target = NULL;
    if (e->have_stat && long_format && S_ISLNK(e->st.st_mode)) {
        char target[PATH_SIZE];
        long n = readlink(path, target, sizeof(target) - 1);
        if (n >= 0) {
            target[n] = '\0';
            e->target = strdup(target);
        }
    }
    if (!e->have_stat && long_format) {
        dprintf(STDERR_FILENO, "ls: cannot access '%s': %s\n", path, strerror(errno));
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

/* Prints the entries (statted) of one listing, and frees them. */
static void print_entries(struct entry *entries, int count, bool total)
{
    if (long_format) {
        if (total) {
            unsigned long blocks = 0;
            for (int i = 0; i < count; i++) {
                blocks += entries[i].have_stat ? (entries[i].st.st_blocks + 1) / 2 : 0;
            }
            printf("total %lu\n", blocks);
        }
        print_long(entries, count);
    } else {
        for (int i = 0; i < count; i++) {
            print_short(&entries[i]);
        }
    }
    for (int i = 0; i < count; i++) {
        free(entries[i].target);
    }
}

/* Reads the names in dir into a growing array; false (errno set) when memory runs out. */
static bool read_names(DIR *dir, struct entry **entries, int *count)
{
    int capacity = 0;
    struct linux_dirent64 *d;
    errno = 0;
    while ((d = readdir(dir)) != NULL) {
        if (d->d_name[0] == '.' && !show_hidden) {
            continue;
        }
        if (*count == capacity) {
            capacity = capacity == 0 ? 16 : capacity * 2;
            struct entry *grown = realloc(*entries, (size_t)capacity * sizeof(**entries));
            if (grown == NULL) {
                return false;
            }
            *entries = grown;
        }
        struct entry *e = &(*entries)[*count];
        e->name = strdup(d->d_name);
        if (e->name == NULL) {
            return false;
        }
        e->d_type = d->d_type;
        (*count)++;
    }
    return errno == 0;
}

/* Lists the directory at path. False on an error (reported). */
static bool list_directory(const char *path)
{
    DIR *dir = opendir(path);
    if (dir == NULL) {
        dprintf(STDERR_FILENO, "ls: cannot open directory '%s': %s\n", path, strerror(errno));
        return false;
    }
    struct entry *entries = NULL;
    int count = 0;
    bool ok = read_names(dir, &entries, &count);
    if (!ok) {
        dprintf(STDERR_FILENO, "ls: reading directory '%s': %s\n", path, strerror(errno));
    }

    /* Statted while the directory is still open, as coreutils does: /proc/self/fd lists the
     * descriptor reading it. */
    sort_entries(entries, count);
    static char full[PATH_SIZE];
    for (int i = 0; i < count; i++) {
        if (path_join(path, entries[i].name, full, sizeof(full))) {
            stat_entry(full, &entries[i]);
        } else {
            entries[i].have_stat = false;
            entries[i].target = NULL;
        }
    }
    closedir(dir);
    print_entries(entries, count, true);
    for (int i = 0; i < count; i++) {
        free(entries[i].name);
    }
    free(entries);
    return ok;
}

/* True when the operand path is listed as itself (a file, or anything with -d); false for a
 * directory to list, or after saying it cannot be reached (*failed then). */
static bool is_file_operand(const char *path, bool *failed)
{
    struct stat st;
    size_t length = strlen(path);
    bool follow = !long_format || (length > 0 && path[length - 1] == '/');
    if ((follow ? stat(path, &st) : lstat(path, &st)) != 0) {
        dprintf(STDERR_FILENO, "ls: cannot access '%s': %s\n", path, strerror(errno));
        *failed = true;
        return false;
    }
    return !S_ISDIR(st.st_mode) || directories_as_files;
}

/*
 * Lists the operands as coreutils does: the files (and, with -d, directories) first, as one
 * listing whose columns line up; then each directory's entries, under "PATH:" when there is
 * more than one operand. False when any could not be listed.
 */
static bool list_operands(char **paths, int count)
{
    bool failed = false;
    bool file[count];
    struct entry *files = calloc((size_t)count, sizeof(*files));
    int file_count = 0;
    for (int i = 0; i < count; i++) {
        bool missing = false;
        file[i] = is_file_operand(paths[i], &missing);
        failed |= missing;
        if (file[i] && files) {
            files[file_count].name = paths[i];
            stat_entry(paths[i], &files[file_count++]);
        }
        file[i] |= missing;
    }
    if (files) {
        print_entries(files, file_count, false);
    }
    free(files);
    bool first = file_count == 0;
    for (int i = 0; i < count; i++) {
        if (file[i]) {
            continue;
        }
        if (count > 1) {
            printf("%s%s:\n", first ? "" : "\n", paths[i]);
        }
        first = false;
        failed |= !list_directory(paths[i]);
    }
    return !failed;
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
            } else if (*flag == 'd') {
                directories_as_files = true;
            } else {
                dprintf(STDERR_FILENO, "usage: ls [-l] [-a] [-d] [PATH...]\n");
                return 2;
            }
        }
    }
    struct timespec ts;
    now = clock_gettime(CLOCK_REALTIME, &ts) == 0 ? ts.tv_sec : 0;
    if (first == argc) {
        char *here[] = { "." };
        return list_operands(here, 1) ? 0 : 1;
    }
    return list_operands(argv + first, argc - first) ? 0 : 1;
}
