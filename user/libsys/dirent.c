/*
 * opendir/readdir/closedir over getdents64: a stream is the directory's descriptor and one
 * buffer of records, refilled when readdir has handed out every record in it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define DIR_BUFFER_SIZE 2048

struct dir_stream {
    int fd;
    long filled; /* bytes getdents64 put in buffer */
    long next;   /* offset of the next record to hand out */
    char buffer[DIR_BUFFER_SIZE] __attribute__((aligned(8)));
};

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        return NULL;
    }
    DIR *dir = malloc(sizeof(*dir));
    if (dir == NULL) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    dir->fd = fd;
    dir->filled = 0;
    dir->next = 0;
    return dir;
}

struct linux_dirent64 *readdir(DIR *dir)
{
    if (dir->next >= dir->filled) {
        long n = getdents64(dir->fd, dir->buffer, sizeof(dir->buffer));
        if (n <= 0) {
            return NULL; /* 0: the end; -1: errno says why */
        }
        dir->filled = n;
        dir->next = 0;
    }
    struct linux_dirent64 *d = (struct linux_dirent64 *)(dir->buffer + dir->next);
    if (d->d_reclen == 0 || dir->next + d->d_reclen > dir->filled) {
        errno = EIO; /* a malformed record: stop rather than loop */
        dir->next = dir->filled;
        return NULL;
    }
    dir->next += d->d_reclen;
    return d;
}

int closedir(DIR *dir)
{
    int r = close(dir->fd);
    free(dir);
    return r;
}

int dirfd(DIR *dir)
{
    return dir->fd;
}
