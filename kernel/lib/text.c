#include <lib/text.h>

#include <lib/string.h>

bool glob_match(const char *pattern, const char *text)
{
    /* Iterative matcher: remember the last '*' and retry from one character further on. */
    const char *star = NULL;
    const char *star_text = NULL;
    while (*text) {
        if (*pattern == '*') {
            star = pattern++;
            star_text = text;
        } else if (*pattern == '?' || *pattern == *text) {
            pattern++;
            text++;
        } else if (star) {
            pattern = star + 1;
            text = ++star_text;
        } else {
            return false;
        }
    }
    while (*pattern == '*') {
        pattern++;
    }
    return *pattern == '\0';
}

bool cmdline_get(const char *cmdline, const char *key, char *out, size_t out_size)
{
    size_t key_len = strlen(key);
    const char *p = cmdline;
    while (*p) {
        while (*p == ' ') {
            p++;
        }
        const char *word = p;
        while (*p && *p != ' ') {
            p++;
        }
        size_t word_len = (size_t)(p - word);
        if (word_len > key_len && strncmp(word, key, key_len) == 0 && word[key_len] == '=') {
            size_t value_len = word_len - key_len - 1;
            if (out_size > 0) {
                size_t n = value_len < out_size - 1 ? value_len : out_size - 1;
                memcpy(out, word + key_len + 1, n);
                out[n] = '\0';
            }
            return true;
        }
    }
    return false;
}

/* Appends the components of path to out (already a clean absolute path of length *len). */
static bool add_components(const char *path, char *out, size_t *len, size_t out_size)
{
    const char *p = path;
    while (*p) {
        while (*p == '/') {
            p++;
        }
        const char *part = p;
        while (*p && *p != '/') {
            p++;
        }
        size_t n = (size_t)(p - part);
        if (n == 0 || (n == 1 && part[0] == '.')) {
            continue;
        }
        if (n == 2 && part[0] == '.' && part[1] == '.') {
            while (*len > 1 && out[*len - 1] != '/') {
                (*len)--;
            }
            if (*len > 1) {
                (*len)--; /* the slash before the removed part */
            }
            out[*len] = '\0';
            continue;
        }
        size_t need = *len + (*len > 1 ? 1 : 0) + n;
        if (need + 1 > out_size) {
            return false;
        }
        if (*len > 1) {
            out[(*len)++] = '/';
        }
        memcpy(out + *len, part, n);
        *len += n;
        out[*len] = '\0';
    }
    return true;
}

bool path_resolve(const char *cwd, const char *path, char *out, size_t out_size)
{
    if (out_size < 2) {
        return false;
    }
    out[0] = '/';
    out[1] = '\0';
    size_t len = 1;
    if (path[0] != '/' && !add_components(cwd, out, &len, out_size)) {
        return false;
    }
    return add_components(path, out, &len, out_size);
}
