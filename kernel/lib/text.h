#pragma once
/* Small text helpers for command lines and test selection. Pure C. */
#include <stdbool.h>
#include <stddef.h>

/* True when text matches pattern, where '*' matches any run of characters and '?' any one. */
bool glob_match(const char *pattern, const char *text);

/*
 * Finds "key=value" among the space-separated words of cmdline and copies value into out
 * (NUL-terminated, truncated to out_size). Returns false when the key is absent.
 */
bool cmdline_get(const char *cmdline, const char *key, char *out, size_t out_size);

/*
 * Resolves path (absolute, or relative to the absolute directory cwd) into a clean absolute path
 * in out: no "." or ".." parts, no repeated or trailing slashes ("/" stays "/"). ".." at the
 * root stays at the root. Returns false when the result does not fit out_size.
 */
bool path_resolve(const char *cwd, const char *path, char *out, size_t out_size);
