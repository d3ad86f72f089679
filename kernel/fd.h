#pragma once
/*
 * The current process's descriptor table: PROC_FDS slots, each an open file (shared after dup
 * and fork) and a close-on-exec flag of its own. Linux's default limit is 1024 descriptors;
 * Ringlet's PROC_FDS (256) is what getrlimit(RLIMIT_NOFILE) reports.
 */
#include <stdbool.h>

#include <file.h>
#include <fs.h>

#define PROC_FDS 256 /* descriptors per process (Linux's default limit: 1024) */

/* The descriptor table and current directory, shared by the threads of a process (CLONE_FILES
 * with CLONE_FS: Ringlet keeps the two together); refcounted. */
struct files {
    unsigned refs;
    struct file *fds[PROC_FDS];
    bool cloexec[PROC_FDS];
    struct inode *cwd; /* the current directory (referenced) */
    uint32_t umask;
    int end; /* one past the highest descriptor ever set in this table (or the one it was copied
                from): fork's copy, exit's close and exec's close-on-exec stop here, not at
                PROC_FDS. Never lowered, so it may name empty slots, never miss a full one. */
};

/* A copy of from (every open file referenced once more), or, with from NULL, an empty table in
 * "/" with umask 022. One reference; NULL when out of memory. */
struct files *files_copy(const struct files *from);

/* Drops a reference; the last closes every descriptor and frees the table. */
void files_put(struct files *t);

/* Puts f (the caller's reference) in descriptor fd of t, which must be empty: for a table that
 * is not the current process's (a process the kernel starts). */
void files_set(struct files *t, int fd, struct file *f);

/* The open file behind descriptor fd of the current process, or NULL (-EBADF for the caller). */
struct file *fd_file(int fd);

/*
 * Puts f (the caller's reference) in the lowest free descriptor at or above first, with the
 * close-on-exec flag when cloexec. Returns the descriptor, or -EMFILE (f untouched).
 */
int fd_install(struct file *f, int first, bool cloexec);

/*
 * Puts two new open files (the caller's references) in the two lowest free descriptors and
 * stores the two numbers as int[2] at user address user_fds (pipe, ipc_endpoint). Returns 0,
 * or -EMFILE/-EFAULT with both files closed and no descriptor taken.
 */
long fd_install_pair(struct file *ends[2], bool cloexec, uint32_t user_fds);

/* Closes the current process's descriptors marked close-on-exec (execve does this). */
void fd_close_on_exec(void);
