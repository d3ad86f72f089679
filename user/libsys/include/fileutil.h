#pragma once
/*
 * Small helpers for the file utilities (cp, mv, ln, rm): the last name of a path, joining a
 * directory and a name, "is this a directory" — what each of them does before the call that
 * does the work (path.c) — and copying a file's bytes (copyfile.c), which cp and mv share.
 */
#include <sys/cdefs.h>
#include <stdbool.h>
#include <stddef.h>

__BEGIN_DECLS

/*
 * Writes into out (size bytes) the last name of path, trailing slashes dropped ("a/b/" -> "b",
 * "/" -> "/"). Returns false when it does not fit.
 */
bool path_last(const char *path, char *out, size_t size);

/* Writes "dir/name" into out (one slash between them). Returns false when it does not fit. */
bool path_join(const char *dir, const char *name, char *out, size_t size);

/* True when path names a directory (following symbolic links, as stat does). */
bool is_directory(const char *path);

/*
 * Where a utility puts source when told to put it at target: target/NAME when target is a
 * directory (NAME the last name of source), else target itself. Returns false (errno
 * ENAMETOOLONG) when that does not fit in out.
 */
bool path_destination(const char *source, const char *target, char *out, size_t size);

/*
 * Copies the regular file from to the path to (made with from's permission bits less the
 * umask, or truncated when it exists). Returns 0, or an errno value; *which is set to the path
 * the error is about. Refuses to copy a file onto itself (EINVAL, as "the same file").
 */
int copy_file(const char *from, const char *to, const char **which);

__END_DECLS
