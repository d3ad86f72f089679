/*
 * The shell's redirections (sh.c's header lists them): open what each names and put it at its
 * descriptor, in order; for a builtin the shell runs itself, set the old descriptors aside
 * first and put them back after.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

/* Opens what one redirection names and puts it at its descriptor. False after saying why. */
static bool apply_redirect(const struct redirect *r)
{
    int fd;
    if (r->kind == REDIRECT_DUP) {
        fd = atoi(r->target);
        if (fd == r->fd) {
            return true;
        }
        if (dup2(fd, r->fd) < 0) {
            shell_error("%d: %s", fd, strerror(errno));
            return false;
        }
        return true;
    }
    static const int flags[] = {
        [REDIRECT_IN] = O_RDONLY,
        [REDIRECT_OUT] = O_WRONLY | O_CREAT | O_TRUNC,
        [REDIRECT_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
    };
    fd = open(r->target, flags[r->kind], 0666);
    if (fd < 0) {
        shell_error("%s: %s", r->target, strerror(errno));
        return false;
    }
    if (fd != r->fd) {
        int moved = dup2(fd, r->fd);
        close(fd);
        if (moved < 0) {
            shell_error("%d: %s", r->fd, strerror(errno));
            return false;
        }
    }
    return true;
}

bool apply_redirects(const struct command *command, struct saved_fd *saved, int *count)
{
    for (int i = 0; i < command->redirect_count; i++) {
        const struct redirect *r = &command->redirects[i];
        bool seen = false;
        for (int j = 0; saved && j < *count; j++) {
            seen |= saved[j].fd == r->fd;
        }
        if (saved && !seen) {
            saved[*count] = (struct saved_fd){ r->fd, fcntl(r->fd, F_DUPFD_CLOEXEC, 10) };
            (*count)++;
        }
        if (!apply_redirect(r)) {
            return false;
        }
    }
    return true;
}

void restore_redirects(struct saved_fd *saved, int count)
{
    for (int i = count - 1; i >= 0; i--) {
        if (saved[i].copy < 0) {
            close(saved[i].fd);
        } else {
            dup2(saved[i].copy, saved[i].fd);
            close(saved[i].copy);
        }
    }
}
