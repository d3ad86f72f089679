#pragma once
/*
 * Job control, Linux's way: the stop signals (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) stop every
 * thread of a process, SIGCONT continues them, and the parent learns of both through SIGCHLD
 * (CLD_STOPPED, CLD_CONTINUED; not with SA_NOCLDSTOP) and through wait with WUNTRACED (status
 * sig << 8 | 0x7f) and WCONTINUED (0xffff). docs/signals.md.
 *
 * Per thread (struct signal_state): stop_pending — it must stop at its next return to user mode
 * or its next sleep; stopped — it is parked (then only SIGKILL counts as pending for it).
 * Per process, on its first thread's slot (struct jobctl below): whether the group is stopped,
 * by which signal, and what its parent has not yet been told by wait.
 */
#include <stdbool.h>
#include <stdint.h>

enum jobctl_report {
    JOBCTL_REPORT_NONE,
    JOBCTL_REPORT_STOPPED,   /* for wait with WUNTRACED */
    JOBCTL_REPORT_CONTINUED, /* for wait with WCONTINUED */
};

struct jobctl {
    bool group_stopped; /* every thread stops, or has stopped, until SIGCONT */
    int stop_signal;    /* the signal that stopped it */
    enum jobctl_report report;
};

struct proc;

/* Whether sig is one of the four stop signals. */
bool jobctl_is_stop_signal(int sig);

/*
 * What sending sig to process p does at once, whatever p's action or mask (Linux's
 * prepare_signal): a stop signal discards a pending SIGCONT; SIGCONT discards pending stop
 * signals and, when the process is stopped, continues every thread and tells the parent.
 */
void jobctl_on_send(struct proc *p, int sig);

/*
 * The default action of stop signal sig, taken by the current thread on its way to user mode:
 * marks the process stopped, asks every thread to stop and tells the parent. A SIGTSTP,
 * SIGTTIN or SIGTTOU to a process whose group is orphaned is discarded, as Linux does.
 */
void jobctl_stop(int sig);

/* Parks the current thread until its process is continued or it is killed (SIGKILL). Called
 * where a thread finds stop_pending: on its way to user mode, or as it is about to sleep. */
void jobctl_park(void);

/*
 * For wait: the status of child c (a process's first thread) to report under options, or -1
 * when there is none: stopped (sig << 8 | 0x7f) with WUNTRACED, continued (0xffff) with
 * WCONTINUED. With consume, the status is taken (a status is reported once).
 */
int jobctl_wait_status(struct proc *c, int options, bool consume);

/*
 * Linux's kill_orphaned_pgrp, after a process has ended: every stopped process group that is
 * now orphaned (nobody outside could continue it) gets SIGHUP and then SIGCONT.
 */
void jobctl_wake_orphans(void);

/* Whether process group pgid is orphaned: no process in it has a parent in another group
 * (other than init). Ringlet has one session, so every other group counts. */
bool jobctl_group_orphaned(int pgid);
