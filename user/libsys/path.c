/* The path helpers of <path.h>. */
#include <errno.h>
#include <fileutil.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

bool path_last(const char *path, char *out, size_t size)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/') {
        end--;
    }
    size_t start = end;
    while (start > 0 && path[start - 1] != '/') {
        start--;
    }
    if (start == end) { /* "/" or "" */
        return strlcpy(out, path[0] == '/' ? "/" : "", size) < size;
    }
    if (end - start >= size) {
        return false;
    }
    memcpy(out, path + start, end - start);
    out[end - start] = '\0';
    return true;
}

bool path_join(const char *dir, const char *name, char *out, size_t size)
{
    size_t length = strlen(dir);
    bool slash = length > 0 && dir[length - 1] == '/';
    int n = snprintf(out, size, "%s%s%s", dir, slash ? "" : "/", name);
    return n >= 0 && (size_t)n < size;
}

bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_destination(const char *source, const char *target, char *out, size_t size)
{
    char name[256];
    bool fits = is_directory(target)
                    ? path_last(source, name, sizeof(name)) && path_join(target, name, out, size)
                    : strlcpy(out, target, size) < size;
    if (!fits) {
        errno = ENAMETOOLONG;
    }
    return fits;
}
