#pragma once
/*
 * The example servers' protocols (docs/ipc.md): the label says what is asked, the three words
 * carry the arguments, a long part carries names and data. A reply's label is 0 or -errno.
 */
#include <sys/ipc.h>

/* Every example server: reply, then exit 0 (so a test machine can power off). */
#define SERVER_QUIT 99

/* counter: a running total, and an echo. */
#define COUNTER_ADD  1 /* w[0] = n: total += n; reply w[0] = total, w[1] = calls so far */
#define COUNTER_ECHO 2 /* reply with the same words and long part */

/* ramfs: files in the server's memory, read and written at explicit offsets. */
#define RAMFS_OPEN  1 /* long part = name, w[0] = 1 to create: reply w[0] = handle */
#define RAMFS_READ  2 /* w[0] = handle, w[1] = offset, w[2] = count: reply long part, w[0] = n */
#define RAMFS_WRITE 3 /* w[0] = handle, w[1] = offset, long part = data: reply w[0] = n */
#define RAMFS_CLOSE 4 /* w[0] = handle */
#define RAMFS_SIZE  5 /* w[0] = handle: reply w[0] = size */
