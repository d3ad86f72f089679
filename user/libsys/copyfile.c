/* copy_file: the bytes of one regular file into another, 16 KiB at a time. */
#include <errno.h>
#include <fcntl.h>
#include <fileutil.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 16384

/* Copies in to out; 0 or an errno value, *from_input telling which side failed. */
static int copy_bytes(int in, int out, bool *from_input)
{
    char *buf = malloc(CHUNK);
    if (buf == NULL) {
        return ENOMEM;
    }
    int error = 0;
    for (;;) {
        long n = read(in, buf, CHUNK);
        if (n <= 0) {
            error = n < 0 ? errno : 0;
            *from_input = true;
            break;
        }
        for (long done = 0; done < n && error == 0;) {
            long w = write(out, buf + done, (unsigned long)(n - done));
            if (w <= 0) {
                error = w < 0 ? errno : ENOSPC;
                *from_input = false;
            }
            done += w > 0 ? w : 0;
        }
        if (error != 0) {
            break;
        }
    }
    free(buf);
    return error;
}

int copy_file(const char *from, const char *to, const char **which)
{
    *which = from;
    int in = open(from, O_RDONLY, 0);
    if (in < 0) {
        return errno;
    }
    struct stat src;
    struct stat dst;
    if (fstat(in, &src) != 0) {
        int error = errno;
        close(in);
        return error;
    }
    if (stat(to, &dst) == 0 && dst.st_dev == src.st_dev && dst.st_ino == src.st_ino) {
        close(in);
        return EINVAL;
    }
    *which = to;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, src.st_mode & 07777);
    if (out < 0) {
        int error = errno;
        close(in);
        return error;
    }
    bool from_input = false;
    int error = copy_bytes(in, out, &from_input);
    if (error != 0 && from_input) {
        *which = from;
    }
    close(in);
    if (close(out) != 0 && error == 0) {
        error = errno;
    }
    return error;
}
