/*
 * The POSIX helpers on top of the process and time calls: wait, sleep and usleep (nanosleep),
 * execv and execvp (execve with environ), getenv, and monotonic_ns for measuring.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Longer program paths than this are refused by execvp with ENAMETOOLONG. */
#define EXEC_PATH_MAX 256

int wait(int *status)
{
    return waitpid(-1, status, 0);
}

unsigned int sleep(unsigned int seconds)
{
    struct timespec request = { .tv_sec = (int32_t)seconds, .tv_nsec = 0 };
    struct timespec left = { 0, 0 };
    if (nanosleep(&request, &left) != 0) {
        return (unsigned int)left.tv_sec + (left.tv_nsec > 0 ? 1 : 0);
    }
    return 0;
}

int usleep(unsigned long usec)
{
    struct timespec request = {
        .tv_sec = (int32_t)(usec / 1000000),
        .tv_nsec = (int32_t)(usec % 1000000) * 1000,
    };
    return nanosleep(&request, NULL);
}

int execv(const char *path, char *const *argv)
{
    return execve(path, argv, environ);
}

int execvp(const char *file, char *const *argv)
{
    if (strchr(file, '/') != NULL) {
        return execve(file, argv, environ);
    }
    char path[EXEC_PATH_MAX];
    size_t n = strlen(file);
    if (n == 0) {
        errno = ENOENT;
        return -1;
    }
    if (n + sizeof("/bin/") > sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, "/bin/", 5);
    memcpy(path + 5, file, n + 1);
    return execve(path, argv, environ);
}

char *getenv(const char *name)
{
    size_t n = strlen(name);
    if (environ == NULL || n == 0 || strchr(name, '=') != NULL) {
        return NULL;
    }
    for (char **e = environ; *e != NULL; e++) {
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') {
            return *e + n + 1;
        }
    }
    return NULL;
}

int64_t monotonic_ns(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        return -1;
    }
    return timespec_to_ns(&now);
}
