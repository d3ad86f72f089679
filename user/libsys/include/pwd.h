#pragma once
/*
 * Names for user and group ids, from /etc/passwd and /etc/group. Both files have the name in
 * the first colon-separated field and the id in the third ("root:x:0:0:root:/root:/bin/sh",
 * "root:x:0:"), so one reader serves both.
 */
#include <sys/cdefs.h>
#include <stdbool.h>
#include <stddef.h>

__BEGIN_DECLS

#define PASSWD_FILE "/etc/passwd"
#define GROUP_FILE  "/etc/group"

/*
 * Writes into name (size bytes, NUL-terminated) the name the table file (PASSWD_FILE or
 * GROUP_FILE) gives id. Returns false, leaving name as it was, when the file cannot be read
 * or has no such id.
 */
bool id_name(const char *table, unsigned id, char *name, size_t size);

__END_DECLS
