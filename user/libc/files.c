/*
 * The descriptor and path calls a libc program uses, through the libc: openat relative to a
 * directory descriptor, stat/fstat/fstatat (musl and glibc ask statx first), access, readlink,
 * fcntl (close-on-exec, F_DUPFD, status flags), dup3, pipe2 with O_NONBLOCK, many descriptors,
 * getrlimit, and posix_spawn (clone with CLONE_VM|CLONE_VFORK) of itself to see that a
 * close-on-exec descriptor is gone in the new program. "files: N checks, M failed" at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_NAME "files"
#include "check.h"

extern char **environ;

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "probe") == 0) {
        /* The spawned copy: is the descriptor the parent marked close-on-exec still open? */
        int fd = atoi(argv[2]);
        printf("files: in the new program descriptor %d is %s\n", fd,
               fcntl(fd, F_GETFD) == -1 && errno == EBADF ? "closed" : "open");
        return 0;
    }
    const char *self = argc > 1 ? argv[1] : "/mod/files";

    /* openat relative to a directory, and the stat family. */
    int dir = open("/mod", O_RDONLY | O_DIRECTORY);
    check(dir >= 0, "open a directory");
    int fd = openat(dir, "files", O_RDONLY | O_CLOEXEC);
    check(fd >= 0, "openat relative to a directory descriptor");
    struct stat by_fd, by_path, at_dir;
    check(fstat(fd, &by_fd) == 0 && S_ISREG(by_fd.st_mode), "fstat a file");
    check(stat(self, &by_path) == 0 && by_path.st_ino == by_fd.st_ino &&
              by_path.st_size == by_fd.st_size,
          "stat and fstat agree");
    check(fstatat(dir, "files", &at_dir, 0) == 0 && at_dir.st_size == by_fd.st_size, "fstatat");
    struct stat d;
    check(fstat(dir, &d) == 0 && S_ISDIR(d.st_mode), "a directory is S_IFDIR");
    printf("files: the program is %lld bytes, a regular file; /mod is a directory\n",
           (long long)by_fd.st_size);
    errno = 0;
    check(openat(fd, "x", O_RDONLY) == -1 && errno == ENOTDIR, "openat on a file is ENOTDIR");
    errno = 0;
    check(open("/proc/meminfo", O_WRONLY) == -1 && errno == EACCES,
          "writing a /proc file is EACCES");
    errno = 0;
    check(open("/proc/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EACCES,
          "creating in /proc is EACCES");
    errno = 0;
    check(open("/nonexistent/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == ENOENT,
          "creating in a missing directory is ENOENT");
    check(access(self, R_OK | X_OK) == 0, "access R_OK|X_OK");
    errno = 0;
    check(access(self, W_OK) == 0, "access W_OK: the root file system is writable");
    errno = 0;
    check(access("/proc/meminfo", W_OK) == -1 && errno == EACCES, "access W_OK on /proc: EACCES");
    char link[64];
    errno = 0;
    check(readlink(self, link, sizeof(link)) == -1 && errno == EINVAL,
          "readlink of a file that is no link is EINVAL");

    /* fcntl and dup3. */
    check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
    int high = fcntl(fd, F_DUPFD, 100);
    check(high == 100 && fcntl(high, F_GETFD) == 0, "F_DUPFD at or above 100, no cloexec");
    int copy = dup3(fd, 50, O_CLOEXEC);
    check(copy == 50 && fcntl(50, F_GETFD) == FD_CLOEXEC, "dup3 with O_CLOEXEC");
    errno = 0;
    check(dup3(fd, fd, 0) == -1 && errno == EINVAL, "dup3 onto itself is EINVAL");
    check((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY, "F_GETFL reports the access mode");

    /* pipe2 with O_NONBLOCK: an empty pipe says EAGAIN instead of waiting. */
    int p[2];
    check(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2");
    char c;
    errno = 0;
    check(read(p[0], &c, 1) == -1 && errno == EAGAIN, "a non-blocking empty pipe is EAGAIN");
    check((fcntl(p[0], F_GETFL) & O_NONBLOCK) && fcntl(p[1], F_GETFD) == FD_CLOEXEC,
          "pipe2's flags");
    fcntl(p[0], F_SETFL, 0);
    check(!(fcntl(p[0], F_GETFL) & O_NONBLOCK), "F_SETFL clears O_NONBLOCK");

    /* select: a timeout on an empty pipe, then the read end ready, the write end always. */
    int sp[2];
    pipe(sp);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_SET(sp[0], &rd);
    struct timeval tv = { 0, 60000 };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int none = select(sp[0] + 1, &rd, NULL, NULL, &tv);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long waited = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    write(sp[1], "s", 1);
    FD_ZERO(&rd);
    FD_SET(sp[0], &rd);
    FD_ZERO(&wr);
    FD_SET(sp[1], &wr);
    int both = select(sp[1] + 1, &rd, &wr, NULL, NULL);
    check(none == 0 && waited >= 60, "select times out on an empty pipe");
    check(both == 2 && FD_ISSET(sp[0], &rd) && FD_ISSET(sp[1], &wr), "select sees both ends");
    close(sp[0]);
    FD_ZERO(&rd);
    FD_SET(sp[0], &rd);
    errno = 0;
    check(select(sp[0] + 1, &rd, NULL, NULL, &(struct timeval){ 0, 0 }) == -1 && errno == EBADF,
          "select on a closed descriptor is EBADF");
    close(sp[1]);
    printf("files: select timed out after at least 60 ms: %s; then %d ready\n",
           none == 0 && waited >= 60 ? "yes" : "no", both);

    /* Many descriptors, up to the limit getrlimit reports. */
    struct rlimit lim;
    check(getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur == 256, "RLIMIT_NOFILE is 256");
    int opened = 0;
    while (dup(fd) >= 0) {
        opened++;
    }
    int limit_errno = errno;
    check(limit_errno == EMFILE, "past the limit: EMFILE");
    for (int i = 200; i < 256; i++) {
        close(i);
    }
    printf("files: %d more descriptors until EMFILE; the limit is %ld\n", opened,
           (long)lim.rlim_cur);

    /* posix_spawn: the new program must not see the close-on-exec descriptor 50. */
    char arg[8];
    snprintf(arg, sizeof(arg), "%d", 50);
    char *child_argv[] = { (char *)self, "probe", arg, NULL };
    pid_t pid;
    int spawned = posix_spawn(&pid, self, NULL, NULL, child_argv, environ);
    int status = 0;
    check(spawned == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "posix_spawn of itself");

    return check_summary();
}
