/*
 * The file-system calls through a real libc, each with the errno Linux gives: files written at
 * offsets and appended, truncated, read through holes; directories made and removed; rename
 * over files and directories (and an open file renamed over stays readable); hard and symbolic
 * links, loops (ELOOP), long names (ENAMETOOLONG); owners, modes, umask and times; statfs;
 * directory listings with "." and ".."; a deep tree and getcwd; devices; /proc/self; a program
 * copied into /tmp and run from there; a private mapping of a written file; and writers
 * appending to one file from several processes. "fsops: N checks, M failed" at the end.
 * Everything is made under /tmp and removed again: the test's leak check sees the pages back.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_NAME "fsops"
#include "check.h"

static int fails_with(int result, int expected_errno)
{
    return result == -1 && errno == expected_errno;
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    check(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text), path);
    close(fd);
}

/* The file's contents (static buffer) or "" */
static const char *read_file(const char *path)
{
    static char buf[256];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    buf[n > 0 ? n : 0] = '\0';
    if (fd >= 0) {
        close(fd);
    }
    return buf;
}

static void files_and_offsets(void)
{
    int fd = open("/tmp/f", O_RDWR | O_CREAT | O_EXCL, 0666);
    check(fd >= 0, "O_CREAT|O_EXCL makes a new file");
    check(fails_with(open("/tmp/f", O_RDWR | O_CREAT | O_EXCL, 0666), EEXIST),
          "O_EXCL on an existing file: EEXIST");
    check(write(fd, "hello world", 11) == 11, "write 11 bytes");
    check(pwrite(fd, "W", 1, 6) == 1, "pwrite at 6");
    char buf[64] = "";
    check(pread(fd, buf, sizeof(buf), 0) == 11 && memcmp(buf, "hello World", 11) == 0,
          "pread sees the pwrite");
    check(lseek(fd, 0, SEEK_CUR) == 11, "pread/pwrite leave the position");
    check(lseek(fd, 100, SEEK_SET) == 100 && write(fd, "!", 1) == 1, "write past the end");
    struct stat st;
    check(fstat(fd, &st) == 0 && st.st_size == 101, "the file grew to 101 bytes");
    memset(buf, 'x', sizeof(buf));
    check(pread(fd, buf, 10, 50) == 10 && memcmp(buf, "\0\0\0\0\0\0\0\0\0\0", 10) == 0,
          "a hole reads as zeros");
    check(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5, "ftruncate shrinks");
    check(ftruncate(fd, 20) == 0 && pread(fd, buf, 20, 0) == 20 &&
              memcmp(buf, "hello\0\0\0\0\0", 10) == 0,
          "ftruncate grows with zeros, not the old bytes");
    close(fd);

    int a = open("/tmp/f", O_WRONLY | O_APPEND);
    int b = open("/tmp/f", O_WRONLY | O_APPEND);
    check(write(a, "A", 1) == 1 && write(b, "B", 1) == 1 && write(a, "C", 1) == 1,
          "two O_APPEND descriptors write");
    check(fstat(a, &st) == 0 && st.st_size == 23, "appends go to the end each time");
    close(a);
    close(b);
    check(strcmp(read_file("/tmp/f") + 20, "ABC") == 0, "appended in order");
    fd = open("/tmp/f", O_WRONLY | O_TRUNC);
    check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC empties it");
    check(fails_with(read(fd, buf, 1), EBADF), "read on O_WRONLY: EBADF");
    close(fd);
    fd = open("/tmp/f", O_RDONLY);
    check(fails_with(write(fd, "x", 1), EBADF), "write on O_RDONLY: EBADF");
    check(fails_with(ftruncate(fd, 0), EINVAL), "ftruncate on O_RDONLY: EINVAL");
    close(fd);
    check(fails_with(open("/tmp/f/x", O_RDONLY), ENOTDIR), "a file as a directory: ENOTDIR");
    check(fails_with(open("/tmp/f/", O_RDONLY), ENOTDIR), "a file with '/': ENOTDIR");
    check(fails_with(open("/tmp", O_WRONLY), EISDIR), "a directory for writing: EISDIR");
    check(fails_with(open("/tmp/none", O_RDONLY), ENOENT), "a missing file: ENOENT");
    check(fails_with(open("/tmp/no/such", O_RDONLY | O_CREAT, 0644), ENOENT),
          "O_CREAT in a missing directory: ENOENT");
    check(unlink("/tmp/f") == 0, "unlink");
}

static void directories(void)
{
    check(mkdir("/tmp/d", 0755) == 0, "mkdir");
    check(fails_with(mkdir("/tmp/d", 0755), EEXIST), "mkdir again: EEXIST");
    check(mkdir("/tmp/d/sub/", 0700) == 0, "mkdir with a trailing slash");
    write_file("/tmp/d/file", "x");
    check(fails_with(rmdir("/tmp/d"), ENOTEMPTY), "rmdir of a full directory: ENOTEMPTY");
    check(fails_with(rmdir("/tmp/d/file"), ENOTDIR), "rmdir of a file: ENOTDIR");
    check(fails_with(unlink("/tmp/d/sub"), EISDIR), "unlink of a directory: EISDIR");
    check(fails_with(rmdir("/tmp/d/."), EINVAL), "rmdir of '.': EINVAL");
    check(fails_with(rmdir("/tmp/none"), ENOENT), "rmdir of nothing: ENOENT");
    check(fails_with(mkdir("/proc/x", 0755), EACCES) || errno == EPERM || errno == ENOENT,
          "mkdir in /proc fails");

    struct stat st;
    check(stat("/tmp/d", &st) == 0 && st.st_nlink == 3, "a directory with one subdirectory has "
                                                        "3 links");
    /* A listing: ".", "..", and the two names. */
    DIR *dir = opendir("/tmp/d");
    int dot = 0, dotdot = 0, sub = 0, file = 0, other = 0;
    for (struct dirent *e; dir && (e = readdir(dir)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0) {
            dot++;
        } else if (strcmp(e->d_name, "..") == 0) {
            dotdot++;
        } else if (strcmp(e->d_name, "sub") == 0 && e->d_type == DT_DIR) {
            sub++;
        } else if (strcmp(e->d_name, "file") == 0 && e->d_type == DT_REG) {
            file++;
        } else {
            other++;
        }
    }
    check(dot == 1 && dotdot == 1 && sub == 1 && file == 1 && other == 0,
          "readdir lists . .. sub file");
    if (dir) {
        rewinddir(dir);
        check(readdir(dir) != NULL, "rewinddir starts over");
        closedir(dir);
    }

    /* rename's cases */
    write_file("/tmp/d/a", "old a");
    write_file("/tmp/d/b", "old b");
    int open_b = open("/tmp/d/b", O_RDONLY);
    check(rename("/tmp/d/a", "/tmp/d/b") == 0, "rename a file over another");
    check(strcmp(read_file("/tmp/d/b"), "old a") == 0, "the new name has a's bytes");
    char buf[16] = "";
    check(read(open_b, buf, sizeof(buf)) == 5 && memcmp(buf, "old b", 5) == 0,
          "the replaced file stays readable while open");
    close(open_b);
    check(fails_with(access("/tmp/d/a", F_OK), ENOENT), "the old name is gone");
    check(fails_with(rename("/tmp/d", "/tmp/d/sub/x"), EINVAL), "a directory into itself: EINVAL");
    check(fails_with(rename("/tmp/d/b", "/tmp/d/sub"), EISDIR), "a file over a directory: EISDIR");
    check(fails_with(rename("/tmp/d/sub", "/tmp/d/b"), ENOTDIR),
          "a directory over a file: ENOTDIR");
    check(mkdir("/tmp/e", 0755) == 0 && mkdir("/tmp/e/full", 0755) == 0, "mkdir /tmp/e/full");
    check(fails_with(rename("/tmp/d/sub", "/tmp/e"), ENOTEMPTY),
          "over a non-empty directory: ENOTEMPTY");
    check(rename("/tmp/d/sub", "/tmp/e/full") == 0, "over an empty directory");
    check(stat("/tmp/e/full", &st) == 0 && S_ISDIR(st.st_mode), "the moved directory is there");
    check(fails_with(rename("/tmp/d/b", "/mod/b"), EXDEV), "across file systems: EXDEV");
    check(syscall(SYS_renameat2, AT_FDCWD, "/tmp/d/b", AT_FDCWD, "/tmp/d/file",
                  1 /* RENAME_NOREPLACE */) == -1 &&
              errno == EEXIST,
          "RENAME_NOREPLACE over a file: EEXIST");
    check(unlink("/tmp/d/b") == 0 && unlink("/tmp/d/file") == 0 && rmdir("/tmp/d") == 0,
          "clean /tmp/d");
    check(rmdir("/tmp/e/full") == 0 && rmdir("/tmp/e") == 0, "clean /tmp/e");
}

static void links(void)
{
    write_file("/tmp/t", "target");
    check(link("/tmp/t", "/tmp/h") == 0, "link");
    struct stat st;
    check(stat("/tmp/h", &st) == 0 && st.st_nlink == 2, "two names: nlink 2");
    check(fails_with(link("/tmp/t", "/tmp/h"), EEXIST), "link to an existing name: EEXIST");
    check(fails_with(link("/tmp", "/tmp/dirlink"), EPERM), "link to a directory: EPERM");
    check(symlink("t", "/tmp/s") == 0, "symlink");
    char buf[64] = "";
    check(readlink("/tmp/s", buf, sizeof(buf)) == 1 && buf[0] == 't', "readlink");
    check(lstat("/tmp/s", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1,
          "lstat sees the link");
    check(stat("/tmp/s", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 6, "stat follows it");
    check(strcmp(read_file("/tmp/s"), "target") == 0, "open follows a relative link");
    check(fails_with(readlink("/tmp/t", buf, sizeof(buf)), EINVAL), "readlink of a file: EINVAL");
    check(fails_with(open("/tmp/s", O_RDONLY | O_NOFOLLOW), ELOOP), "O_NOFOLLOW: ELOOP");
    check(symlink("loop2", "/tmp/loop1") == 0 && symlink("loop1", "/tmp/loop2") == 0,
          "two links naming each other");
    check(fails_with(open("/tmp/loop1", O_RDONLY), ELOOP), "a loop: ELOOP");
    check(symlink("/tmp", "/tmp/up") == 0 && chdir("/tmp/up/up/up") == 0,
          "chdir through absolute links");
    char cwd[PATH_MAX];
    check(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/tmp") == 0, "getcwd is /tmp");
    check(chdir("/") == 0, "back to /");
    check(fails_with(symlink("x", "/tmp/s"), EEXIST), "symlink over a name: EEXIST");
    check(unlink("/tmp/t") == 0 && stat("/tmp/h", &st) == 0 && st.st_nlink == 1,
          "unlink one name: the other stays, nlink 1");
    check(fails_with(stat("/tmp/s", &st), ENOENT), "a dangling link: ENOENT");
    check(unlink("/tmp/h") == 0 && unlink("/tmp/s") == 0 && unlink("/tmp/loop1") == 0 &&
              unlink("/tmp/loop2") == 0 && unlink("/tmp/up") == 0,
          "clean the links");

    char name[300];
    memset(name, 'n', 256);
    name[256] = '\0';
    char path[320];
    snprintf(path, sizeof(path), "/tmp/%s", name);
    check(fails_with(open(path, O_RDONLY | O_CREAT, 0644), ENAMETOOLONG),
          "a 256-byte name: ENAMETOOLONG");
    name[255] = '\0';
    snprintf(path, sizeof(path), "/tmp/%s", name);
    int fd = open(path, O_RDONLY | O_CREAT, 0644);
    check(fd >= 0, "a 255-byte name is fine");
    close(fd);
    check(unlink(path) == 0, "unlink the long name");
    char *huge = malloc(PATH_MAX + 10);
    memset(huge, '/', PATH_MAX + 9);
    huge[PATH_MAX + 9] = '\0';
    check(fails_with(open(huge, O_RDONLY), ENAMETOOLONG), "a path over PATH_MAX: ENAMETOOLONG");
    free(huge);
}

static void attributes(void)
{
    mode_t old = umask(027);
    int fd = open("/tmp/m", O_WRONLY | O_CREAT, 0666);
    struct stat st;
    check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0640, "umask 027: 0640");
    check(umask(old) == 027, "umask returns the old mask");
    check(fchmod(fd, 0604) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0604, "fchmod");
    check(chmod("/tmp/m", 04755) == 0 && stat("/tmp/m", &st) == 0 &&
              (st.st_mode & 07777) == 04755 && S_ISREG(st.st_mode),
          "chmod keeps the type");
    check(chown("/tmp/m", 1000, 100) == 0 && stat("/tmp/m", &st) == 0 && st.st_uid == 1000 &&
              st.st_gid == 100 && !(st.st_mode & S_ISUID),
          "chown sets owners and drops set-user-ID");
    check(fchown(fd, -1, 7) == 0 && fstat(fd, &st) == 0 && st.st_uid == 1000 && st.st_gid == 7,
          "fchown with -1 keeps the uid");
    struct timespec times[2] = { { 1000000000, 5 }, { 1234567890, 0 } };
    check(utimensat(AT_FDCWD, "/tmp/m", times, 0) == 0 && stat("/tmp/m", &st) == 0 &&
              st.st_atime == 1000000000 && st.st_mtime == 1234567890,
          "utimensat sets both times");
    struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
    check(futimens(fd, omit) == 0 && fstat(fd, &st) == 0 && st.st_atime == 1000000000 &&
              st.st_mtime > 1234567890,
          "UTIME_OMIT and UTIME_NOW");
    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    check(fails_with(utimensat(AT_FDCWD, "/tmp/m", bad, 0), EINVAL), "a bad tv_nsec: EINVAL");
    close(fd);
    check(unlink("/tmp/m") == 0, "clean /tmp/m");

    struct statfs fs;
    check(statfs("/tmp", &fs) == 0 && fs.f_type == 0x01021994 && fs.f_bsize == 4096 &&
              fs.f_blocks > 0 && fs.f_bfree <= fs.f_blocks,
          "statfs /tmp: tmpfs");
    check(statfs("/proc", &fs) == 0 && fs.f_type == 0x9fa0, "statfs /proc: proc");
    struct stat a, b;
    check(stat("/tmp", &a) == 0 && stat("/", &b) == 0 && a.st_dev != b.st_dev,
          "/tmp is another file system than /");
}

static void deep_tree(void)
{
    char path[PATH_MAX] = "/tmp";
    int depth = 0;
    for (; depth < 60; depth++) {
        size_t n = strlen(path);
        snprintf(path + n, sizeof(path) - n, "/level%02d", depth);
        if (mkdir(path, 0755) != 0) {
            break;
        }
    }
    check(depth == 60, "60 nested directories");
    check(chdir(path) == 0, "chdir to the deepest");
    char cwd[PATH_MAX];
    check(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, path) == 0, "getcwd names it");
    check(getcwd(cwd, 10) == NULL && errno == ERANGE, "getcwd into a small buffer: ERANGE");
    check(chdir("../../..") == 0 && getcwd(cwd, sizeof(cwd)) &&
              strlen(cwd) == strlen(path) - 3 * strlen("/levelNN"),
          "'..' climbs");
    chdir("/");
    for (; depth > 0; depth--) {
        if (rmdir(path) != 0) {
            break;
        }
        *strrchr(path, '/') = '\0';
    }
    check(depth == 0, "all removed again");
}

static void devices(void)
{
    struct stat st;
    check(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
              minor(st.st_rdev) == 3,
          "/dev/null is char 1,3");
    char buf[32];
    int fd = open("/dev/zero", O_RDONLY);
    memset(buf, 1, sizeof(buf));
    check(read(fd, buf, sizeof(buf)) == 32 && buf[0] == 0 && buf[31] == 0, "/dev/zero reads zeros");
    close(fd);
    fd = open("/dev/full", O_WRONLY);
    check(fails_with(write(fd, "x", 1), ENOSPC), "/dev/full: ENOSPC");
    close(fd);
    fd = open("/dev/null", O_RDWR);
    check(write(fd, "x", 1) == 1 && read(fd, buf, 1) == 0, "/dev/null swallows and ends");
    close(fd);
    unsigned char r1[16], r2[16];
    fd = open("/dev/urandom", O_RDONLY);
    check(read(fd, r1, 16) == 16 && read(fd, r2, 16) == 16 && memcmp(r1, r2, 16) != 0,
          "/dev/urandom gives different bytes each time");
    close(fd);
    check(stat("/dev/tty", &st) == 0 && major(st.st_rdev) == 5 && minor(st.st_rdev) == 0,
          "/dev/tty is char 5,0");
}

static void proc_self(const char *self)
{
    char buf[PATH_MAX] = "";
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    check(n > 0 && strcmp(buf, self) == 0, "/proc/self/exe names the program");
    int fd = open("/tmp/proc-fd", O_RDWR | O_CREAT, 0600);
    char link[64];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    check(strcmp(buf, "/tmp/proc-fd") == 0, "/proc/self/fd/N names the open file");
    int count = 0;
    DIR *dir = opendir("/proc/self/fd");
    for (struct dirent *e; dir && (e = readdir(dir)) != NULL;) {
        count += e->d_name[0] != '.';
    }
    if (dir) {
        closedir(dir);
    }
    check(count == 5, "/proc/self/fd lists 0, 1, 2, the file and the listing's own descriptor");
    close(fd);
    unlink("/tmp/proc-fd");
    fd = open("/proc/self/stat", O_RDONLY);
    n = read(fd, buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
    char expected[32];
    snprintf(expected, sizeof(expected), "%d (", getpid());
    check(strncmp(buf, expected, strlen(expected)) == 0, "/proc/self/stat starts with the pid");
    check(strstr(read_file("/proc/meminfo"), "MemTotal:") == read_file("/proc/meminfo"),
          "/proc/meminfo starts with MemTotal");
    check(fails_with(open("/proc/meminfo", O_WRONLY), EACCES), "/proc files are read-only");
}

/* Copies this program into /tmp and runs the copy: exec from a file written at run time. */
static void exec_a_copy(const char *self)
{
    int in = open(self, O_RDONLY);
    int out = open("/tmp/copy", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[4096];
    ssize_t n;
    long total = 0;
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        total += write(out, buf, (size_t)n);
    }
    close(in);
    close(out);
    struct stat st;
    check(stat(self, &st) == 0 && st.st_size == total, "the copy is whole");
    pid_t pid = fork();
    if (pid == 0) {
        execl("/tmp/copy", "copy", "probe", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 42, "the copy ran (exit 42)");
    chmod("/tmp/copy", 0644);
    check(fails_with(execl("/tmp/copy", "copy", "probe", (char *)NULL), EACCES),
          "no execute bit: EACCES");

    /* A private mapping of a written file sees its bytes; writes to it stay private. */
    int fd = open("/tmp/copy", O_RDONLY);
    unsigned char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check(map != MAP_FAILED && memcmp(map, "\177ELF", 4) == 0, "mmap of a tmpfs file");
    if (map != MAP_FAILED) {
        map[0] = 'X';
        munmap(map, 8192);
    }
    check(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "\177ELF", 4) == 0,
          "a private mapping's writes do not reach the file");
    close(fd);
    check(unlink("/tmp/copy") == 0, "clean /tmp/copy");
}

/* Four processes append 200 lines each to one file through O_APPEND. */
static void concurrent_appends(void)
{
    int fd = open("/tmp/log", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    close(fd);
    for (int w = 0; w < 4; w++) {
        if (fork() == 0) {
            int out = open("/tmp/log", O_WRONLY | O_APPEND);
            char line[32];
            for (int i = 0; i < 200; i++) {
                int n = snprintf(line, sizeof(line), "writer %d line %03d\n", w, i);
                write(out, line, (size_t)n);
                if (i % 50 == 0) {
                    sched_yield();
                }
            }
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {
    }
    FILE *f = fopen("/tmp/log", "r");
    int counts[4] = { 0 }, bad = 0, next[4] = { 0 };
    char line[64];
    while (f && fgets(line, sizeof(line), f)) {
        int w, i;
        if (sscanf(line, "writer %d line %d", &w, &i) == 2 && w >= 0 && w < 4 && i == next[w]) {
            counts[w]++;
            next[w]++;
        } else {
            bad++;
        }
    }
    if (f) {
        fclose(f);
    }
    check(counts[0] == 200 && counts[1] == 200 && counts[2] == 200 && counts[3] == 200 && bad == 0,
          "800 whole lines, each writer's in order");
    printf("fsops: appended lines per writer: %d %d %d %d, broken %d\n", counts[0], counts[1],
           counts[2], counts[3], bad);
    unlink("/tmp/log");
}

/* A fork and a pipe: the machine still works. */
static int fork_and_pipe(void)
{
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        return 0;
    }
    if (fork() == 0) {
        write(pipefd[1], "ok", 2);
        _exit(0);
    }
    char buf[2];
    int ok = read(pipefd[0], buf, 2) == 2 && wait(NULL) > 0;
    close(pipefd[0]);
    close(pipefd[1]);
    return ok;
}

/* Fills /tmp until ENOSPC, then removes the file: the memory must come back. */
static void fill(void)
{
    static char chunk[1 << 20];
    /* What the program itself needs comes first, outside the count: chunk's pages, the stack
     * printf uses, what a first fork costs. */
    memset(chunk, 'z', sizeof(chunk));
    printf("fsops: filling /tmp\n");
    check(fork_and_pipe(), "a fork and a pipe before");
    struct sysinfo before, full, after;
    sysinfo(&before);
    int fd = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    long mib = 0;
    ssize_t n;
    while ((n = write(fd, chunk, sizeof(chunk))) == (ssize_t)sizeof(chunk)) {
        mib++;
    }
    int err = errno;
    if (n > 0) {
        n = write(fd, chunk, sizeof(chunk)); /* the short write's next one fails */
        err = errno;
    }
    check(n == -1 && err == ENOSPC, "writing on until ENOSPC");
    struct statfs fs;
    check(fstatfs(fd, &fs) == 0 && fs.f_bfree == 0, "statfs says the tmpfs is full");
    sysinfo(&full);
    check(fork_and_pipe(), "a fork and a pipe while /tmp is full");
    close(fd);
    check(unlink("/tmp/big") == 0, "unlink the big file");
    sysinfo(&after);
    printf("fsops: /tmp took %ld MiB of %lu MiB before ENOSPC\n", mib,
           (unsigned long)(before.totalram * before.mem_unit >> 20));
    check(mib >= 16, "at least 16 MiB fit");
    printf("fsops: free memory %lu MiB before, %lu MiB full, %lu MiB after rm\n",
           (unsigned long)(before.freeram * before.mem_unit >> 20),
           (unsigned long)(full.freeram * full.mem_unit >> 20),
           (unsigned long)(after.freeram * after.mem_unit >> 20));
    /* Within a few pages: the process's own page tables and copy-on-write copies from the
     * forks move too. The exact check is the boot's: every frame back when all have ended. */
    unsigned long slack = 4 * 4096ul / before.mem_unit;
    check(after.freeram + slack >= before.freeram, "the file's memory back after rm");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "probe") == 0) {
        return 42;
    }
    if (argc == 2 && strcmp(argv[1], "fill") == 0) {
        fill();
        return check_summary();
    }
    const char *self = argc > 1 ? argv[1] : "/mod/fsops";
    files_and_offsets();
    directories();
    links();
    attributes();
    deep_tree();
    devices();
    proc_self(self);
    exec_a_copy(self);
    concurrent_appends();
    return check_summary();
}
