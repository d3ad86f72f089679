/*
 * The read-only file tree through descriptors, one line per check, then "files_test: ok":
 *
 *     files_test: ok read          /etc/motd read to the end: as many bytes as fstat's st_size
 *                                  (it must not be empty), and a regular file
 *     files_test: ok lseek         SEEK_SET, SEEK_CUR and SEEK_END land where they should and
 *                                  the bytes read there match; reading at or past the end
 *                                  returns 0; a write on the read-only descriptor fails
 *     files_test: ok enoent        open of a missing file: -1 with errno ENOENT
 *     files_test: ok getdents64    /bin (open with O_DIRECTORY, fstat S_IFDIR) lists sh and init
 *     files_test: ok dev/null      /dev/null reads EOF at once and takes every write
 *
 * The tree must hold /etc/motd, /bin/sh and /bin/init (the initrd). A failed check prints
 * "files_test: FAIL <check>: ..." and the exit status is 1.
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

#define TEST_NAME "files_test"
#include "check.h"

#define MOTD     "/etc/motd"
#define MAX_MOTD 65536

static char motd[MAX_MOTD];
static long motd_size;

/* Reads /etc/motd whole into motd; compares with fstat. */
static void check_read(void)
{
    int fd = open(MOTD, O_RDONLY, 0);
    if (fd < 0) {
        fail("read", "open %s: %s", MOTD, strerror(errno));
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fail("read", "fstat: %s", strerror(errno));
        close(fd);
        return;
    }
    long total = 0;
    for (;;) {
        /* Odd-sized reads, so a read that stops at a wrong boundary shows. */
        unsigned long want = total + 7 <= MAX_MOTD ? 7 : (unsigned long)(MAX_MOTD - total);
        long n = read(fd, motd + total, want);
        if (n < 0) {
            fail("read", "read: %s", strerror(errno));
            close(fd);
            return;
        }
        if (n == 0) {
            break;
        }
        total += n;
        if (total == MAX_MOTD) {
            break;
        }
    }
    close(fd);
    motd_size = total;
    if (!S_ISREG(st.st_mode)) {
        fail("read", "st_mode 0%o is not a regular file", (unsigned)st.st_mode);
    } else if (total == 0) {
        fail("read", "%s is empty; the test needs some text in it", MOTD);
    } else if ((long)st.st_size != total) {
        fail("read", "st_size %u but %ld bytes read", (unsigned)st.st_size, total);
    } else {
        printf("files_test: ok read\n");
    }
}

/* lseek to offset from whence, expecting the resulting position want. */
static bool seek_to(int fd, long offset, int whence, long want)
{
    long r = lseek(fd, offset, whence);
    if (r != want) {
        fail("lseek", "lseek(%ld, %d) returned %ld (%s), want %ld", offset, whence, r,
             r < 0 ? strerror(errno) : "", want);
        return false;
    }
    return true;
}

/* Reads one byte and compares it with motd[at]. */
static bool byte_at(int fd, long at)
{
    char c;
    long n = read(fd, &c, 1);
    if (n != 1 || c != motd[at]) {
        fail("lseek", "byte at %ld: read returned %ld, or the byte differs", at, n);
        return false;
    }
    return true;
}

static void check_lseek(void)
{
    if (motd_size < 2) {
        fail("lseek", "needs %s of at least 2 bytes", MOTD);
        return;
    }
    int fd = open(MOTD, O_RDONLY, 0);
    if (fd < 0) {
        fail("lseek", "open: %s", strerror(errno));
        return;
    }
    long middle = motd_size / 2;
    bool ok = seek_to(fd, middle, SEEK_SET, middle) && byte_at(fd, middle) &&
              seek_to(fd, 0, SEEK_CUR, middle + 1) && seek_to(fd, -1, SEEK_CUR, middle) &&
              byte_at(fd, middle) && seek_to(fd, -1, SEEK_END, motd_size - 1) &&
              byte_at(fd, motd_size - 1) && seek_to(fd, 0, SEEK_SET, 0) && byte_at(fd, 0);
    if (ok) {
        char c;
        long at_end = (seek_to(fd, 0, SEEK_END, motd_size) ? read(fd, &c, 1) : -2);
        long past_end =
            (seek_to(fd, motd_size + 100, SEEK_SET, motd_size + 100) ? read(fd, &c, 1) : -2);
        long written = write(fd, "x", 1);
        if (at_end != 0 || past_end != 0) {
            fail("lseek", "read at the end returned %ld, past the end %ld, want 0", at_end,
                 past_end);
        } else if (written != -1) {
            fail("lseek", "write on a read-only descriptor returned %ld", written);
        } else {
            printf("files_test: ok lseek\n");
        }
    }
    close(fd);
}

static void check_enoent(void)
{
    errno = 0;
    int fd = open("/etc/no-such-file", O_RDONLY, 0);
    if (fd != -1 || errno != ENOENT) {
        fail("enoent", "open returned %d errno %d, want -1 ENOENT", fd, errno);
        if (fd >= 0) {
            close(fd);
        }
    } else {
        printf("files_test: ok enoent\n");
    }
}

static void check_getdents(void)
{
    int fd = open("/bin", O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        fail("getdents64", "open /bin: %s", strerror(errno));
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fail("getdents64", "fstat /bin: not a directory");
    }
    static char buffer[1024] __attribute__((aligned(8)));
    bool seen_sh = false;
    bool seen_init = false;
    int entries = 0;
    for (;;) {
        long n = getdents64(fd, buffer, sizeof(buffer));
        if (n < 0) {
            fail("getdents64", "getdents64: %s", strerror(errno));
            break;
        }
        if (n == 0) {
            break;
        }
        for (long at = 0; at < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buffer + at);
            if (d->d_reclen == 0 || d->d_reclen % 8 != 0 || at + d->d_reclen > n) {
                fail("getdents64", "bad record length %u at offset %ld", d->d_reclen, at);
                close(fd);
                return;
            }
            seen_sh = seen_sh || strcmp(d->d_name, "sh") == 0;
            seen_init = seen_init || strcmp(d->d_name, "init") == 0;
            entries++;
            at += d->d_reclen;
        }
    }
    close(fd);
    if (!seen_sh || !seen_init) {
        fail("getdents64", "/bin lists %d entries; sh %s, init %s", entries,
             seen_sh ? "found" : "missing", seen_init ? "found" : "missing");
    } else {
        printf("files_test: ok getdents64\n");
    }
}

static void check_dev_null(void)
{
    int fd = open("/dev/null", O_RDWR, 0);
    if (fd < 0) {
        fail("dev/null", "open: %s", strerror(errno));
        return;
    }
    char buffer[16];
    long r = read(fd, buffer, sizeof(buffer));
    long w = write(fd, "into the void", 13);
    close(fd);
    if (r != 0 || w != 13) {
        fail("dev/null", "read returned %ld (want 0), write %ld (want 13)", r, w);
    } else {
        printf("files_test: ok dev/null\n");
    }
}

int main(void)
{
    check_read();
    check_lseek();
    check_enoent();
    check_getdents();
    check_dev_null();
    if (failures != 0) {
        return 1;
    }
    printf("files_test: ok\n");
    return 0;
}
