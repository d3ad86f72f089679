/* libFuzzer on the text helpers (kernel/lib/text.c): glob_match, cmdline_get and path_resolve
 * on three NUL-separated strings from the input; outputs must be terminated within their size,
 * and a resolved path must be clean (absolute, no "." or ".." parts, no "//"). */
#include <lib/text.h>

#include "check.h"

static char *next_string(const unsigned char **data, size_t *size)
{
    const unsigned char *end = memchr(*data, 0, *size);
    size_t n = end ? (size_t)(end - *data) : *size;
    char *s = malloc(n + 1);
    memcpy(s, *data, n);
    s[n] = 0;
    *data += end ? n + 1 : n;
    *size -= end ? n + 1 : n;
    return s;
}

static void check_clean(const char *path)
{
    CHECK(path[0] == '/');
    CHECK(strstr(path, "//") == NULL && strstr(path, "/./") == NULL);
    CHECK(strstr(path, "/../") == NULL);
    size_t n = strlen(path);
    CHECK(n == 1 || path[n - 1] != '/');
    CHECK(!(n >= 2 && strcmp(path + n - 2, "/.") == 0));
    CHECK(!(n >= 3 && strcmp(path + n - 3, "/..") == 0));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    size_t out_size = data[0] % 64u + 1;
    data++;
    size--;
    char *a = next_string(&data, &size);
    char *b = next_string(&data, &size);
    (void)glob_match(a, b);
    char *out = malloc(out_size);
    if (cmdline_get(a, b, out, out_size)) {
        CHECK(memchr(out, 0, out_size) != NULL);
    }
    char cwd[80] = "/";
    strncat(cwd, b, sizeof(cwd) - 2);
    if (path_resolve(cwd, a, out, out_size)) {
        CHECK(memchr(out, 0, out_size) != NULL);
        check_clean(out);
    }
    free(out);
    free(a);
    free(b);
    return 0;
}
