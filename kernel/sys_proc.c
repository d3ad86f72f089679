/*
 * System calls about processes: exit, ids, fork, execve, wait, kill, process groups, yield and
 * the heap break.
 */
#include <sched.h>
#include <syscall.h>
#include <file.h>
#include <frames.h>
#include <fs.h>
#include <heap.h>
#include <kprintf.h>
#include <lib/string.h>
#include <trace.h>
#include <proc.h>
#include <program.h>
#include <uaccess.h>
#include <upath.h>

#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>

#include <abi/reboot.h>
#include <abi/signal.h>

#include <arch/memlayout.h>

#define EXEC_STRING_MAX (32u * PAGE_SIZE) /* Linux's MAX_ARG_STRLEN: one string, NUL included */

/* Linux's exit: ends the calling thread (the process, when it is the last). */
long sys_exit(int status)
{
    proc_exit(status);
}

/* Linux's exit_group: ends every thread of the process, all with this status. */
long sys_exit_group(int status)
{
    proc_kill_other_threads(status & 0xff, 0);
    proc_exit(status);
}

/* The process id is the thread group's: the first thread's tid. */
long sys_getpid(void)
{
    return current->tgid;
}

/* Linux's set_tid_address: remembers where to write 0 when the process ends; returns the tid
 * (a process is one thread, so its pid). The pointer is not checked until then. */
long sys_set_tid_address(uint32_t tidptr)
{
    current->clear_child_tid = tidptr;
    return current->pid;
}

/* The ids of a system with one user: everyone is root (uid and gid 0), as Ringlet has no
 * users yet; with no supplementary groups, getgroups reports none. */
long sys_getuid32(void)
{
    return 0;
}

long sys_getgid32(void)
{
    return 0;
}

long sys_geteuid32(void)
{
    return 0;
}

long sys_getegid32(void)
{
    return 0;
}

long sys_getgroups32(int size, uint32_t list)
{
    (void)list;
    return size < 0 ? -EINVAL : 0;
}

/* A process is one thread, so its thread id is its pid. */
long sys_gettid(void)
{
    return current->pid;
}

long sys_getpgrp(void)
{
    return current->pgid;
}

long sys_getppid(void)
{
    const struct proc *leader = proc_find(current->tgid);
    return leader ? leader->parent_pid : 0;
}

long sys_sched_yield(void)
{
    sched_yield_current();
    return 0;
}

long sys_fork(void)
{
    return proc_fork();
}

#define CLONE_VM             0x00000100u
#define CLONE_FS             0x00000200u
#define CLONE_FILES          0x00000400u
#define CLONE_SIGHAND        0x00000800u
#define CLONE_VFORK          0x00004000u
#define CLONE_PARENT         0x00008000u
#define CLONE_THREAD         0x00010000u
#define CLONE_SETTLS         0x00080000u
#define CLONE_PARENT_SETTID  0x00100000u
#define CLONE_CHILD_CLEARTID 0x00200000u
#define CLONE_CHILD_SETTID   0x01000000u
#define CLONE_EXIT_SIGNAL    0x000000ffu

/*
 * Linux's clone, for new processes (i386 order: flags, new stack, parent tid pointer, TLS
 * descriptor, child tid pointer). A copy of the caller like fork, with what the flags ask:
 * a new stack, the tid written to the parent's and/or the child's memory, the child's tid word
 * cleared when it ends, a TLS entry of its own, the signal its end sends. CLONE_VM with
 * CLONE_VFORK (posix_spawn) is a fork onto the new stack: the memory is a copy, not shared.
 * Threads (CLONE_VM alone, CLONE_THREAD, CLONE_SIGHAND, CLONE_FILES) are not in Ringlet yet:
 * -EINVAL.
 */
/* clone of a thread (every sharing flag): a stack is required, as for Linux's threads. */
static long new_thread(uint32_t flags, uint32_t newsp, uint32_t ptid, uint32_t tls, uint32_t ctid)
{
    if (newsp == 0) {
        return -EINVAL;
    }
    if ((flags & CLONE_PARENT_SETTID) && user_prepare_write(ptid, sizeof(int)) != 0) {
        return -EFAULT;
    }
    struct arch_tls thread_tls = current->tls;
    if (flags & CLONE_SETTLS) {
        long err = arch_tls_from_user(&thread_tls, tls);
        if (err != 0) {
            return err;
        }
    }
    int tid = proc_thread(newsp, &thread_tls);
    if (tid < 0) {
        return tid;
    }
    struct proc *t = proc_find(tid);
    if (flags & CLONE_CHILD_SETTID) {
        t->set_child_tid = ctid;
    }
    if (flags & CLONE_CHILD_CLEARTID) {
        t->clear_child_tid = ctid;
    }
    if (flags & CLONE_PARENT_SETTID) {
        (void)copy_to_user(ptid, &tid, sizeof(tid)); /* checked above */
    }
    return tid;
}

long sys_clone(uint32_t flags, uint32_t newsp, uint32_t ptid, uint32_t tls, uint32_t ctid)
{
    const uint32_t thread = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
    uint32_t shared = flags & thread;
    /* Linux's own rules first: a thread shares the handlers, which need the memory. */
    if (((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) ||
        ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))) {
        return -EINVAL;
    }
    if (shared == thread) {
        return new_thread(flags, newsp, ptid, tls, ctid);
    }
    /* Ringlet shares all of these or none (CLONE_VM|CLONE_VFORK alone is a fork). */
    if (shared && shared != CLONE_VM) {
        return -EINVAL;
    }
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
        return -EINVAL;
    }
    if ((flags & CLONE_EXIT_SIGNAL) > SIGNAL_COUNT) {
        return -EINVAL;
    }
    if ((flags & CLONE_PARENT_SETTID) && user_prepare_write(ptid, sizeof(int)) != 0) {
        return -EFAULT;
    }
    struct arch_tls child_tls = current->tls;
    if (flags & CLONE_SETTLS) {
        long err = arch_tls_from_user(&child_tls, tls); /* before the fork: nothing to undo */
        if (err != 0) {
            return err;
        }
    }
    int pid = proc_fork();
    if (pid < 0) {
        return pid;
    }
    struct proc *child = proc_find(pid);
    child->exit_signal = (int)(flags & CLONE_EXIT_SIGNAL);
    if (newsp) {
        arch_set_user_stack(child->kstack_top, newsp);
    }
    child->tls = child_tls;
    if (flags & CLONE_CHILD_SETTID) {
        child->set_child_tid = ctid; /* written in the child's own memory when it first runs */
    }
    if (flags & CLONE_CHILD_CLEARTID) {
        child->clear_child_tid = ctid;
    }
    if (flags & CLONE_PARENT_SETTID) {
        (void)copy_to_user(ptid, &pid, sizeof(pid)); /* checked above */
    }
    return pid;
}

/*
 * execve's arguments on their way to the new stack: the strings packed in one growing buffer,
 * each string's offset in it (argv's, then envp's).
 */
struct exec_strings {
    char *bytes;
    uint32_t used;
    uint32_t size;
    uint32_t *offsets;
    uint32_t count;
    uint32_t slots;
    uint32_t limit; /* bytes of strings plus a pointer each, as Linux counts them */
};

/* Room for n more bytes of strings and one more offset; false when memory runs out. */
static bool exec_strings_grow(struct exec_strings *s, uint32_t n)
{
    if (s->used + n > s->size) {
        uint32_t size = s->size ? s->size : PAGE_SIZE;
        while (size < s->used + n) {
            size *= 2;
        }
        char *bytes = krealloc(s->bytes, size);
        if (bytes == NULL) {
            return false;
        }
        s->bytes = bytes;
        s->size = size;
    }
    if (s->count == s->slots) {
        uint32_t slots = s->slots ? s->slots * 2 : 64;
        uint32_t *offsets = krealloc(s->offsets, slots * sizeof(*offsets));
        if (offsets == NULL) {
            return false;
        }
        s->offsets = offsets;
        s->slots = slots;
    }
    return true;
}

/*
 * Copies a NULL-terminated user array of strings into s. Returns how many, -EFAULT, -ENOMEM, or
 * -E2BIG (Linux's: a string of more than 32 pages, or all of them over the limit).
 */
static int copy_string_array(uint32_t user_array, struct exec_strings *s)
{
    if (user_array == 0) {
        return 0; /* Linux takes a NULL argv or envp as empty */
    }
    for (int n = 0;; n++) {
        uint32_t pointer;
        if (copy_from_user(&pointer, user_array + (uint32_t)n * 4, 4) != 0) {
            return -EFAULT;
        }
        if (pointer == 0) {
            return n;
        }
        /* Try in the room there is; grow (up to one string's limit) when it is too short. */
        for (uint32_t want = 256;; want *= 2) {
            if (want > EXEC_STRING_MAX) {
                want = EXEC_STRING_MAX;
            }
            if (!exec_strings_grow(s, want)) {
                return -ENOMEM;
            }
            long len = strncpy_from_user(s->bytes + s->used, pointer, want);
            if (len >= 0) {
                s->offsets[s->count++] = s->used;
                s->used += (uint32_t)len + 1;
                break;
            }
            if (len != -ENAMETOOLONG) {
                return (int)len;
            }
            if (want == EXEC_STRING_MAX) {
                return -E2BIG;
            }
        }
        if (s->used + 4 * s->count > s->limit) {
            return -E2BIG;
        }
    }
}

/*
 * The program execve names: its image (program.h), with in *path the absolute path of the file
 * itself (links followed: /proc/PID/exe) and in *given the path as given, made absolute (the
 * process's name and AT_EXECFN, as Linux takes them from the name it was given). The caller
 * frees both after loading.
 */
static long find_program(uint32_t user_path, struct program_image *image, char **path, char **given)
{
    struct upath_last last;
    long err = upath_parent(AT_FDCWD, user_path, &last);
    if (err != 0) {
        return err;
    }
    struct inode *node;
    err = vfs_walk(last.dir, last.name, 0, &node);
    if (err != 0) {
        inode_put(last.dir);
        return err;
    }
    *given = upath_absolute(last.dir, last.name, node);
    err = *given == NULL ? -ENOMEM : upath_follow_last(&last);
    *path = err == 0 ? upath_absolute(last.dir, last.name, node) : NULL;
    if (err == 0 && *path == NULL) {
        err = -ENOMEM;
    } else if (err == 0 && last.trailing_slash && (node->mode & S_IFMT) != S_IFDIR) {
        err = -ENOTDIR;
    } else if (err == 0) {
        err = program_image_of(node, *path, image);
    }
    if (err == 0) {
        image->given = *given;
    } else {
        kfree(*path);
        kfree(*given);
    }
    inode_put(node);
    inode_put(last.dir);
    return err;
}

long sys_execve(uint32_t user_path, uint32_t user_argv, uint32_t user_envp)
{
    struct program_image image;
    char *path = NULL;
    char *given = NULL;
    long err = find_program(user_path, &image, &path, &given);
    if (err < 0) {
        return err;
    }
    /* The arguments live on the kernel heap until they are on the new stack. */
    struct exec_strings strings = { .limit = proc_exec_args_limit() };
    int argc = copy_string_array(user_argv, &strings);
    int envc = argc < 0 ? argc : copy_string_array(user_envp, &strings);
    long result = argc < 0 ? argc : envc;
    const char **list = NULL;
    if (result >= 0) {
        list = kmalloc(((uint32_t)argc + (uint32_t)envc + 2) * sizeof(*list));
        result = list ? 0 : -ENOMEM;
    }
    if (result == 0) {
        for (uint32_t i = 0; i < strings.count; i++) {
            list[i + (i >= (uint32_t)argc)] = strings.bytes + strings.offsets[i];
        }
        list[argc] = NULL;
        list[argc + 1 + envc] = NULL;
        result = proc_exec(&image, list, argc, list + argc + 1, envc);
    }
    kfree(list); /* after a successful exec too: the new program has its own copies */
    kfree(strings.bytes);
    kfree(strings.offsets);
    program_image_release(&image);
    kfree(path);
    kfree(given);
    return result;
}

#define WAIT_THREAD_FLAGS 0xe0000000u /* __WNOTHREAD, __WALL, __WCLONE */

static long wait_common(int pid, uint32_t user_status, int options)
{
    if ((uint32_t)options & ~(uint32_t)(WNOHANG | WUNTRACED | WCONTINUED | WAIT_THREAD_FLAGS)) {
        return -EINVAL;
    }
    if (pid == (int)0x80000000) {
        return -ESRCH; /* -pid does not fit, as Linux answers */
    }
    return proc_wait(pid, options, user_status);
}

long sys_waitpid(int pid, uint32_t user_status, int options)
{
    return wait_common(pid, user_status, options);
}

long sys_wait4(int pid, uint32_t user_status, int options, uint32_t rusage)
{
    (void)rusage; /* resource usage is not collected */
    return wait_common(pid, user_status, options);
}

/* Linux's setpgid: for the caller or a child of it; the group is the whole process's. */
long sys_setpgid(int pid, int pgid)
{
    struct proc *p = pid == 0 ? current : proc_find(pid);
    if (p == NULL || (p->tgid != current->tgid && p->parent_pid != current->tgid)) {
        return -ESRCH;
    }
    if (pgid < 0) {
        return -EINVAL;
    }
    int group = pgid == 0 ? p->tgid : pgid;
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct proc *t = (struct proc *)&table[i];
        if (t->state != PROC_FREE && t->tgid == p->tgid) {
            t->pgid = group; /* every thread of the process */
        }
    }
    return 0;
}

long sys_getpgid(int pid)
{
    struct proc *p = pid == 0 ? current : proc_find(pid);
    return p ? p->pgid : -ESRCH;
}

/*
 * Linux's brk: moves the end of the heap to end and returns the new end; returns the current
 * end unchanged when end is out of range (brk(0) asks for it). Growing maps nothing: heap pages
 * are demand-zero (fault.c), so even a huge brk is quick; shrinking gives back the pages that
 * were touched.
 */
long sys_brk(uint32_t end)
{
    struct proc *p = current;
    uint32_t heap_limit = p->mm->stack_limit - PAGE_SIZE; /* a gap before the stack's reach */
    if (end < p->mm->brk_start || end > heap_limit) {
        return (long)p->mm->brk;
    }
    uint32_t old_top = (p->mm->brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint32_t new_top = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (new_top > old_top && !vma_range_free(&p->mm->space.areas, old_top, new_top)) {
        return (long)p->mm->brk; /* a mapping is in the way, as in Linux */
    }
    if (new_top < old_top) {
        /* As Linux's munmap of the range: a mapping placed there with MAP_FIXED goes too. */
        if (vma_remove(&p->mm->space.areas, new_top, old_top) != 0) {
            return (long)p->mm->brk;
        }
        vm_unmap_range(&p->mm->space, new_top, old_top);
    }
    p->mm->brk = end;
    return (long)p->mm->brk;
}

/* Powers the machine off (the only reboot command Ringlet has), after Linux's magic numbers. */
long sys_reboot(int magic, int magic2, int cmd, uint32_t arg)
{
    (void)arg;
    if (magic != REBOOT_MAGIC1 || magic2 != REBOOT_MAGIC2) {
        return -EINVAL;
    }
    if (cmd != REBOOT_CMD_POWER_OFF) {
        return -EINVAL;
    }
    trace_dump();
    kprintf("ringlet: power off (asked by pid %d, %s)\n", current->pid, current->name);
    arch_stop(STOP_POWER_OFF);
}

#define PR_SET_NAME   15
#define PR_GET_NAME   16
#define TASK_COMM_LEN 16

/* prctl: the name calls (what ps shows; 15 characters, as Linux keeps); any other option is
 * one Ringlet does not have: -EINVAL, as Linux answers for an unknown option. */
long sys_prctl(int option, uint32_t arg2, uint32_t arg3, uint32_t arg4, uint32_t arg5)
{
    (void)arg3;
    (void)arg4;
    (void)arg5;
    char name[TASK_COMM_LEN];
    switch (option) {
    case PR_SET_NAME: {
        long len = strncpy_from_user(name, arg2, sizeof(name));
        if (len == -EFAULT) {
            return -EFAULT;
        }
        name[TASK_COMM_LEN - 1] = '\0'; /* a longer name is cut, as Linux does */
        strlcpy(current->name, name, sizeof(current->name));
        return 0;
    }
    case PR_GET_NAME:
        memset(name, 0, sizeof(name));
        strlcpy(name, current->name, sizeof(name));
        return copy_to_user(arg2, name, sizeof(name));
    default:
        return -EINVAL;
    }
}
