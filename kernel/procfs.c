/*
 * /proc: a file system made up on each lookup from the kernel's own tables, in the formats
 * Linux uses (fs/proc), so that ps, top, free, uptime, pidof and mount read it. A file's text
 * is made when it is opened (read then sees one consistent snapshot); a link's target when it
 * is read. Inodes are transient: they die with their last reference, and their numbers are
 * derived from what they show, so a name looks up to the same number every time.
 */
#include <procfs.h>

#include <arch.h>
#include <clock.h>
#include <cpu.h>
#include <fd.h>
#include <frames.h>
#include <heap.h>
#include <lib/format.h>
#include <lib/string.h>
#include <mm.h>
#include <proc.h>
#include <sched.h>
#include <tmpfs.h>
#include <uaccess.h>
#include <version.h>

#include <abi/errno.h>
#include <abi/signal.h>
#include <abi/stat.h>

#include <arch/memlayout.h>

#include <stdarg.h>

enum kind {
    ROOT = 1,
    SELF,
    MEMINFO,
    UPTIME,
    STAT,
    LOADAVG,
    MOUNTS,
    CPUINFO,
    VERSION,
    FILESYSTEMS,
    PID_DIR,
    PID_STAT,
    PID_STATUS,
    PID_STATM,
    PID_CMDLINE,
    PID_COMM,
    PID_EXE,
    PID_CWD,
    PID_FD_DIR,
    PID_FD_LINK,
};

struct proc_node {
    struct inode vfs;
    enum kind kind;
    int pid;
    int fd;
};

struct name {
    const char *name;
    enum kind kind;
    uint32_t mode;
};

static const struct name root_names[] = {
    { "self", SELF, S_IFLNK | 0777 },
    { "meminfo", MEMINFO, S_IFREG | 0444 },
    { "uptime", UPTIME, S_IFREG | 0444 },
    { "stat", STAT, S_IFREG | 0444 },
    { "loadavg", LOADAVG, S_IFREG | 0444 },
    { "mounts", MOUNTS, S_IFREG | 0444 },
    { "cpuinfo", CPUINFO, S_IFREG | 0444 },
    { "version", VERSION, S_IFREG | 0444 },
    { "filesystems", FILESYSTEMS, S_IFREG | 0444 },
};

static const struct name pid_names[] = {
    { "stat", PID_STAT, S_IFREG | 0444 },   { "status", PID_STATUS, S_IFREG | 0444 },
    { "statm", PID_STATM, S_IFREG | 0444 }, { "cmdline", PID_CMDLINE, S_IFREG | 0444 },
    { "comm", PID_COMM, S_IFREG | 0644 },   { "exe", PID_EXE, S_IFLNK | 0777 },
    { "cwd", PID_CWD, S_IFLNK | 0777 },     { "fd", PID_FD_DIR, S_IFDIR | 0500 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct inode_ops procfs_ops;
static struct super procfs_super = { .type = "proc", .block_size = PAGE_SIZE };

static struct proc_node *pnode(struct inode *node)
{
    return (struct proc_node *)node;
}

/* Inode numbers: 1 the root, small ones the root's files, then per process. */
static uint32_t ino_of(enum kind kind, int pid, int fd)
{
    if (kind == PID_FD_LINK) {
        return 0x40000000u + (uint32_t)pid * PROC_FDS + (uint32_t)fd;
    }
    if (kind >= PID_DIR) {
        return 0x1000u + (uint32_t)pid * 32u + (uint32_t)kind;
    }
    return (uint32_t)kind;
}

static struct inode *make(enum kind kind, uint32_t mode, int pid, int fd, struct inode *parent)
{
    struct inode *node = inode_new(&procfs_super, sizeof(struct proc_node), mode, &procfs_ops);
    if (node == NULL) {
        return NULL;
    }
    node->transient = true;
    /* Linux's: a directory has 2 links plus one per subdirectory (a PID's has fd/). */
    node->links = kind == PID_DIR ? 3 : (mode & S_IFMT) == S_IFDIR ? 2 : 1;
    node->ino = ino_of(kind, pid, fd);
    node->atime = node->mtime = node->ctime = vfs_now();
    if ((mode & S_IFMT) == S_IFDIR) {
        node->parent = inode_get(parent);
    }
    pnode(node)->kind = kind;
    pnode(node)->pid = pid;
    pnode(node)->fd = fd;
    return node;
}

/* The process a per-process inode is about: the thread group leader with that pid, zombies
 * included; NULL once it is gone. */
static struct proc *process(int pid)
{
    struct proc *p = proc_find(pid);
    return p && p->tgid == p->pid ? p : NULL;
}

static int parse_number(const char *s)
{
    int n = 0;
    if (*s == '\0' || (*s == '0' && s[1])) {
        return -1;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > 100000000) {
            return -1;
        }
        n = n * 10 + (*s - '0');
    }
    return n;
}

static struct inode *procfs_lookup(struct inode *dir, const char *name)
{
    struct proc_node *d = pnode(dir);
    if (d->kind == ROOT) {
        for (unsigned i = 0; i < COUNT(root_names); i++) {
            if (strcmp(name, root_names[i].name) == 0) {
                return make(root_names[i].kind, root_names[i].mode, 0, 0, dir);
            }
        }
        int pid = parse_number(name);
        return pid > 0 && process(pid) ? make(PID_DIR, S_IFDIR | 0555, pid, 0, dir) : NULL;
    }
    struct proc *p = process(d->pid);
    if (p == NULL) {
        return NULL;
    }
    if (d->kind == PID_DIR) {
        for (unsigned i = 0; i < COUNT(pid_names); i++) {
            if (strcmp(name, pid_names[i].name) == 0) {
                return make(pid_names[i].kind, pid_names[i].mode, d->pid, 0, dir);
            }
        }
        return NULL;
    }
    int fd = parse_number(name);
    if (d->kind != PID_FD_DIR || fd < 0 || fd >= PROC_FDS || p->files == NULL ||
        p->files->fds[fd] == NULL) {
        return NULL;
    }
    return make(PID_FD_LINK, S_IFLNK | 0700, d->pid, fd, dir);
}

static bool procfs_next_entry(struct inode *dir, uint32_t *cursor, struct dir_entry *out)
{
    struct proc_node *d = pnode(dir);
    const struct name *names = d->kind == ROOT ? root_names : pid_names;
    uint32_t count = d->kind == ROOT      ? COUNT(root_names)
                     : d->kind == PID_DIR ? COUNT(pid_names)
                                          : 0;
    if (*cursor < count) {
        const struct name *n = &names[(*cursor)++];
        out->ino = ino_of(n->kind, d->pid, 0);
        out->type = vfs_dirent_type(n->mode);
        strlcpy(out->name, n->name, sizeof(out->name));
        return true;
    }
    if (d->kind == ROOT) {
        /* Then the processes, by slot: the cursor goes on from count. */
        const struct proc *table = proc_table();
        for (uint32_t slot = *cursor - count; slot < PROC_MAX; slot++) {
            const struct proc *p = &table[slot];
            if (p->state != PROC_FREE && p->pid == p->tgid) {
                *cursor = count + slot + 1;
                out->ino = ino_of(PID_DIR, p->pid, 0);
                out->type = vfs_dirent_type(S_IFDIR);
                format_snprintf(out->name, sizeof(out->name), "%d", p->pid);
                return true;
            }
        }
        return false;
    }
    struct proc *p = process(d->pid);
    if (d->kind != PID_FD_DIR || p == NULL || p->files == NULL) {
        return false;
    }
    for (uint32_t fd = *cursor; fd < PROC_FDS; fd++) {
        if (p->files->fds[fd]) {
            *cursor = fd + 1;
            out->ino = ino_of(PID_FD_LINK, d->pid, (int)fd);
            out->type = vfs_dirent_type(S_IFLNK);
            format_snprintf(out->name, sizeof(out->name), "%u", fd);
            return true;
        }
    }
    return false;
}

/* ---- text ---- */

struct text {
    char *buf;
    uint32_t len;
    uint32_t cap;
    bool failed;
};

static void put_char(void *ctx, char c)
{
    struct text *t = ctx;
    if (t->failed) {
        return;
    }
    if (t->len == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 512;
        char *buf = krealloc(t->buf, cap);
        if (buf == NULL) {
            t->failed = true;
            return;
        }
        t->buf = buf;
        t->cap = cap;
    }
    t->buf[t->len++] = c;
}

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_v(put_char, t, fmt, args);
    va_end(args);
}

/* Ticks as Linux's clock_t (USER_HZ = AT_CLKTCK = CLOCK_HZ here). */
static uint32_t user_ticks(uint64_t ticks)
{
    return (uint32_t)ticks;
}

static char state_letter(const struct proc *p)
{
    switch (p->state) {
    case PROC_RUNNABLE:
    case PROC_RUNNING:
        return 'R';
    case PROC_BLOCKED:
        return p->signals.stopped ? 'T' : 'S';
    case PROC_ZOMBIE:
        return 'Z';
    default:
        return '?';
    }
}

/* Threads in p's group, and the CPU ticks they used. */
static unsigned group_threads(const struct proc *p, uint64_t *ticks)
{
    const struct proc *table = proc_table();
    unsigned n = 0;
    *ticks = 0;
    for (unsigned i = 0; i < PROC_MAX; i++) {
        if (table[i].state != PROC_FREE && table[i].tgid == p->tgid) {
            n++;
            *ticks += table[i].ticks;
        }
    }
    return n;
}

/* Bytes of p's address space: its areas, heap and stack; and the pages it has mapped. */
static uint32_t virtual_size(const struct proc *p, uint32_t *resident)
{
    *resident = 0;
    if (p->mm == NULL) {
        return 0;
    }
    uint32_t bytes = (p->mm->brk - p->mm->brk_start) + PAGE_SIZE;
    const struct vma_list *areas = &p->mm->space.areas;
    for (unsigned i = 0; i < areas->count; i++) {
        bytes += areas->items[i].end - areas->items[i].start;
    }
    *resident = vm_user_page_count(&p->mm->space);
    return bytes;
}

static uint64_t signal_mask(const struct proc *p, bool ignored)
{
    uint64_t mask = 0;
    for (int sig = 1; p->sighand && sig <= SIGNAL_COUNT; sig++) {
        uint32_t h = p->sighand->actions[sig - 1].handler;
        if (ignored ? h == SIG_IGN : h > SIG_IGN) {
            mask |= 1ull << (sig - 1);
        }
    }
    return mask;
}

static int parent_of(const struct proc *p)
{
    return p->parent_pid;
}

static void pid_stat(struct text *t, const struct proc *p)
{
    uint64_t ticks;
    unsigned threads = group_threads(p, &ticks);
    uint32_t rss;
    uint32_t vsize = virtual_size(p, &rss);
    uint32_t start_brk = p->mm ? p->mm->brk_start : 0;
    uint32_t brk = p->mm ? p->mm->brk : 0;
    uint32_t arg_start = p->mm ? p->mm->arg_start : 0;
    uint32_t arg_end = p->mm ? p->mm->arg_end : 0;
    add(t, "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %u 0 0 0 20 0 %u 0 %u %u %u 4294967295 ",
        p->pid, p->name, state_letter(p), parent_of(p), p->pgid, p->pgid, user_ticks(ticks),
        threads, user_ticks(p->start_tick), vsize, rss);
    add(t, "0 0 0 0 0 %u %u %u %u 0 0 0 %d 0 0 0 0 0 0 0 %u %u %u %u %u %u %d\n",
        (uint32_t)p->signals.pending, (uint32_t)p->signals.blocked, (uint32_t)signal_mask(p, true),
        (uint32_t)signal_mask(p, false), p->exit_signal, start_brk, start_brk, brk, arg_start,
        arg_end, arg_end, p->state == PROC_ZOMBIE ? p->exit_status : 0);
}

static void pid_status(struct text *t, const struct proc *p)
{
    static const char *const state_names[] = { "?", "R (running)", "R (running)", "S (sleeping)",
                                               "Z (zombie)" };
    uint64_t ticks;
    unsigned threads = group_threads(p, &ticks);
    uint32_t rss;
    uint32_t vsize = virtual_size(p, &rss);
    const char *state = p->signals.stopped ? "T (stopped)" : state_names[p->state];
    add(t, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n",
        p->name, p->files ? p->files->umask : 022, state, p->tgid, p->pid, parent_of(p));
    add(t, "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%u\nGroups:\t\n", PROC_FDS);
    if (p->mm) {
        add(t, "VmPeak:\t%8u kB\nVmSize:\t%8u kB\nVmRSS:\t%8u kB\nVmData:\t%8u kB\n", vsize / 1024,
            vsize / 1024, rss * (PAGE_SIZE / 1024), (p->mm->brk - p->mm->brk_start) / 1024);
    }
    add(t, "Threads:\t%u\nSigQ:\t0/0\nSigPnd:\t%016llx\nShdPnd:\t%016llx\n", threads,
        (unsigned long long)p->signals.pending, 0ull);
    add(t, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
        (unsigned long long)p->signals.blocked, (unsigned long long)signal_mask(p, true),
        (unsigned long long)signal_mask(p, false));
}

/* The bytes [start, end) of p's memory, read through its page tables. */
static void user_bytes(struct text *t, const struct proc *p, uint32_t start, uint32_t end)
{
    for (uint32_t at = start; p->mm && at < end;) {
        uint32_t phys;
        unsigned prot;
        if (vm_translate(&p->mm->space, at, &phys, &prot) != 0) {
            return;
        }
        uint32_t run = PAGE_SIZE - at % PAGE_SIZE;
        if (run > end - at) {
            run = end - at;
        }
        const char *bytes = phys_to_virt(phys & ~(PAGE_SIZE - 1));
        for (uint32_t i = 0; i < run; i++) {
            put_char(t, bytes[at % PAGE_SIZE + i]);
        }
        at += run;
    }
}

static void meminfo(struct text *t)
{
    uint32_t kb = PAGE_SIZE / 1024;
    uint32_t total = frame_total_count() * kb;
    uint32_t free = kmalloc_available_pages() * kb;
    uint32_t shmem = tmpfs_pages_in_use() * kb;
    add(t, "MemTotal:       %8u kB\nMemFree:        %8u kB\nMemAvailable:   %8u kB\n", total, free,
        free);
    add(t, "Buffers:        %8u kB\nCached:         %8u kB\nSwapCached:     %8u kB\n", 0, shmem, 0);
    add(t, "Active:         %8u kB\nInactive:       %8u kB\nSwapTotal:      %8u kB\n", total - free,
        0, 0);
    add(t, "SwapFree:       %8u kB\nShmem:          %8u kB\n", 0, shmem);
    /* The kernel heap's bytes in use, rounded up: what Linux calls its slab. */
    add(t, "Slab:           %8u kB\n", (uint32_t)((kmalloc_bytes_in_use() + 1023) / 1024));
    /* As Linux: the kernel stacks, and the user page tables (directories included). */
    add(t, "KernelStack:    %8u kB\nPageTables:     %8u kB\n", vm_kernel_stack_frames() * kb,
        vm_user_table_frames() * kb);
}

/* Seconds and hundredths of ticks. */
static void seconds(struct text *t, uint64_t ticks)
{
    add(t, "%u.%02u", (uint32_t)(ticks / CLOCK_HZ), (uint32_t)(ticks % CLOCK_HZ * 100 / CLOCK_HZ));
}

static void cpu_stat(struct text *t)
{
    uint64_t busy = 0;
    uint64_t idle = 0;
    for (unsigned i = 0; i < cpu_count; i++) {
        busy += cpus[i].busy_ticks;
        idle += cpus[i].idle_ticks;
    }
    uint32_t running = 0;
    uint32_t blocked = 0;
    const struct proc *table = proc_table();
    for (unsigned i = 0; i < PROC_MAX; i++) {
        running += table[i].state == PROC_RUNNABLE || table[i].state == PROC_RUNNING;
    }
    /* Linux's columns; Ringlet counts a tick with a process as user time. */
    add(t, "cpu  %u 0 0 %u 0 0 0 0 0 0\n", (uint32_t)busy, (uint32_t)idle);
    for (unsigned i = 0; i < cpu_count; i++) {
        add(t, "cpu%u %u 0 0 %u 0 0 0 0 0 0\n", i, (uint32_t)cpus[i].busy_ticks,
            (uint32_t)cpus[i].idle_ticks);
    }
    add(t, "intr 0\nctxt %u\nbtime %u\nprocesses %u\nprocs_running %u\nprocs_blocked %u\n",
        sched_switches(), clock_boot_realtime(), proc_forks(), running, blocked);
}

static void mounts(struct text *t)
{
    for (unsigned i = 0; vfs_mount_at(i); i++) {
        struct super *sb = vfs_mount_at(i);
        add(t, "%s %s %s rw%s 0 0\n", sb->type, sb->mount_path, sb->type,
            strcmp(sb->type, "proc") == 0 ? ",nosuid,nodev,noexec" : "");
    }
}

static void cpuinfo(struct text *t)
{
    struct arch_cpu_id id;
    arch_cpu_identify(&id); /* this CPU's; the others are the same model (QEMU's -smp) */
    for (unsigned i = 0; i < cpu_count; i++) {
        add(t, "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n", i, id.vendor,
            id.family, id.model);
        add(t, "model name\t: %s\nstepping\t: %u\n", id.model_name, id.stepping);
        add(t, "apicid\t\t: %u\nfpu\t\t: yes\nflags\t\t: %s\n\n", cpus[i].arch_id, id.flags);
    }
}

/* The file's text, made now. 0 or -ENOMEM / -ENOENT (the process is gone). */
static long render(struct proc_node *n, struct text *t)
{
    switch (n->kind) {
    case MEMINFO:
        meminfo(t);
        break;
    case UPTIME:
        seconds(t, clock_ticks());
        add(t, " ");
        seconds(t, sched_idle_ticks());
        add(t, "\n");
        break;
    case STAT:
        cpu_stat(t);
        break;
    case LOADAVG: {
        uint32_t load[3];
        sched_load_average(load);
        unsigned running = 0;
        const struct proc *table = proc_table();
        for (unsigned i = 0; i < PROC_MAX; i++) {
            running += table[i].state == PROC_RUNNABLE || table[i].state == PROC_RUNNING;
        }
        add(t, "%u.%02u %u.%02u %u.%02u %u/%u %d\n", load[0] / 100, load[0] % 100, load[1] / 100,
            load[1] % 100, load[2] / 100, load[2] % 100, running, proc_count(), proc_last_pid());
        break;
    }
    case MOUNTS:
        mounts(t);
        break;
    case CPUINFO:
        cpuinfo(t);
        break;
    case VERSION:
        add(t, "Ringlet version %s (i686) #1\n", RINGLET_VERSION);
        break;
    case FILESYSTEMS:
        add(t, "nodev\ttmpfs\nnodev\tproc\n");
        break;
    default: {
        struct proc *p = process(n->pid);
        if (p == NULL) {
            return -ENOENT;
        }
        if (n->kind == PID_STAT) {
            pid_stat(t, p);
        } else if (n->kind == PID_STATUS) {
            pid_status(t, p);
        } else if (n->kind == PID_STATM) {
            uint32_t rss;
            uint32_t vsize = virtual_size(p, &rss);
            add(t, "%u %u 0 0 0 0 0\n", vsize / PAGE_SIZE, rss);
        } else if (n->kind == PID_CMDLINE) {
            if (p->mm) {
                user_bytes(t, p, p->mm->arg_start, p->mm->arg_end);
            }
        } else if (n->kind == PID_COMM) {
            add(t, "%s\n", p->name);
        }
        break;
    }
    }
    return t->failed ? -ENOMEM : 0;
}

static long procfs_open(struct inode *node, struct file *f)
{
    if ((node->mode & S_IFMT) != S_IFREG) {
        return 0;
    }
    struct text t = { 0 };
    long err = render(pnode(node), &t);
    if (err != 0) {
        kfree(t.buf);
        return err;
    }
    f->text = t.buf;
    f->text_size = t.len;
    return 0;
}

static long procfs_read(struct inode *node, struct file *f, uint32_t user_buf, uint32_t n,
                        uint32_t offset)
{
    (void)node;
    if (offset >= f->text_size) {
        return 0;
    }
    if (n > f->text_size - offset) {
        n = f->text_size - offset;
    }
    return copy_to_user(user_buf, f->text + offset, n) == 0 ? (long)n : -EFAULT;
}

/* What descriptor fd of p names, as Linux's /proc/PID/fd links say it. */
static long fd_target(struct proc *p, int fd, char *buf, size_t size)
{
    struct file *f = p->files ? p->files->fds[fd] : NULL;
    if (f == NULL) {
        return -ENOENT;
    }
    if (f->path) {
        return (long)strlcpy(buf, f->path, size);
    }
    if (f->type == FILE_PIPE_READ || f->type == FILE_PIPE_WRITE) {
        return format_snprintf(buf, size, "pipe:[%u]", (uint32_t)(uintptr_t)f->pipe % 100000u);
    }
    return (long)strlcpy(buf, "/dev/console", size);
}

static long procfs_readlink(struct inode *node, char *buf, size_t size)
{
    struct proc_node *n = pnode(node);
    if (n->kind == SELF) {
        return current ? format_snprintf(buf, size, "%d", current->tgid) : -ENOENT;
    }
    struct proc *p = process(n->pid);
    if (p == NULL) {
        return -ENOENT;
    }
    long len;
    if (n->kind == PID_EXE) {
        len = p->mm && p->mm->exe[0] ? (long)strlcpy(buf, p->mm->exe, size) : -ENOENT;
    } else if (n->kind == PID_CWD) {
        len = p->files ? vfs_dir_path(p->files->cwd, buf, size) : -ENOENT;
    } else {
        len = fd_target(p, n->fd, buf, size);
    }
    return len >= 0 && (size_t)len >= size ? -ENAMETOOLONG : len;
}

static const struct inode_ops procfs_ops = {
    .lookup = procfs_lookup,
    .next_entry = procfs_next_entry,
    .open = procfs_open,
    .read = procfs_read,
    .readlink = procfs_readlink,
};

static uint64_t procfs_blocks(struct super *sb, uint64_t *free)
{
    (void)sb;
    *free = 0;
    return 0;
}

struct super *procfs_new(void)
{
    procfs_super.dev = vfs_new_dev();
    procfs_super.next_ino = 2;
    procfs_super.blocks = procfs_blocks;
    struct inode *root =
        inode_new(&procfs_super, sizeof(struct proc_node), S_IFDIR | 0555, &procfs_ops);
    if (root == NULL) {
        return NULL;
    }
    root->ino = ino_of(ROOT, 0, 0);
    root->links = 2;
    pnode(root)->kind = ROOT;
    procfs_super.root = root;
    return &procfs_super;
}
