/*
 * System calls that describe the machine: sysinfo, uname, clocks and sleeping, and Ringlet's
 * own process and device lists.
 */
#include <clock.h>
#include <random.h>
#include <syscall.h>
#include <frames.h>
#include <heap.h>
#include <lib/string.h>
#include <proc.h>
#include <uaccess.h>
#include <version.h>

#include <abi/errno.h>
#include <abi/ringlet.h>
#include <abi/sysinfo.h>
#include <abi/time.h>
#include <abi/utsname.h>

#include <arch/memlayout.h>

long sys_sysinfo(uint32_t info)
{
    struct sysinfo s;
    memset(&s, 0, sizeof(s));
    s.uptime = (int32_t)(clock_ticks() / CLOCK_HZ);
    s.totalram = frame_total_count();
    s.freeram = kmalloc_available_pages(); /* exact: programs compare it to find leaks */
    s.procs = (uint16_t)proc_count();
    s.mem_unit = PAGE_SIZE;
    return copy_to_user(info, &s, sizeof(s));
}

long sys_uname(uint32_t name)
{
    struct utsname u;
    memset(&u, 0, sizeof(u));
    strlcpy(u.sysname, "Ringlet", sizeof(u.sysname));
    strlcpy(u.nodename, "ringlet", sizeof(u.nodename));
    strlcpy(u.release, RINGLET_VERSION, sizeof(u.release));
    strlcpy(u.version, "#1", sizeof(u.version));
    strlcpy(u.machine, "i686", sizeof(u.machine));
    return copy_to_user(name, &u, sizeof(u));
}

/*
 * The time on clock as seconds and nanoseconds: 0, or -EINVAL for a clock Ringlet does not
 * keep. Every monotonic clock Linux has (raw, coarse, boot time) is the tick count here, and the
 * real-time ones add the RTC's reading at boot.
 */
static int clock_read(int clock, int64_t *sec, int32_t *nsec)
{
    bool realtime = clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE;
    bool monotonic = clock == CLOCK_MONOTONIC || clock == CLOCK_MONOTONIC_RAW ||
                     clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_BOOTTIME;
    if (!realtime && !monotonic) {
        return -EINVAL;
    }
    uint64_t ns = clock_monotonic_ns();
    *sec = (int64_t)(ns / 1000000000u) + (realtime ? (int64_t)clock_boot_realtime() : 0);
    *nsec = (int32_t)(ns % 1000000000u);
    return 0;
}

long sys_clock_gettime(int clock, uint32_t user_ts)
{
    int64_t sec;
    int32_t nsec;
    int err = clock_read(clock, &sec, &nsec);
    if (err != 0) {
        return err;
    }
    struct timespec ts = { .tv_sec = (int32_t)sec, .tv_nsec = nsec };
    return copy_to_user(user_ts, &ts, sizeof(ts));
}

/* clock_gettime with 64-bit seconds (struct __kernel_timespec), which musl tries first. */
long sys_clock_gettime64(int clock, uint32_t user_ts)
{
    int64_t sec;
    int32_t nsec;
    int err = clock_read(clock, &sec, &nsec);
    if (err != 0) {
        return err;
    }
    struct timespec64 ts = { .tv_sec = sec, .tv_nsec = nsec };
    return copy_to_user(user_ts, &ts, sizeof(ts));
}

/* Linux's sched_getaffinity: the mask of CPUs pid may run on (one CPU: bit 0). Returns the
 * bytes written, as the raw call does. */
long sys_sched_getaffinity(int pid, uint32_t len, uint32_t user_mask)
{
    if (pid < 0 || (pid != 0 && proc_find(pid) == NULL)) {
        return pid < 0 ? -EINVAL : -ESRCH;
    }
    if (len < sizeof(uint32_t) || (len & (sizeof(uint32_t) - 1)) != 0) {
        return -EINVAL; /* too small for the CPUs, or not whole longs */
    }
    uint32_t mask = 1;
    if (copy_to_user(user_mask, &mask, sizeof(mask)) != 0) {
        return -EFAULT;
    }
    return sizeof(mask);
}

long sys_nanosleep(uint32_t user_request, uint32_t user_remaining)
{
    struct timespec request;
    if (copy_from_user(&request, user_request, sizeof(request)) != 0) {
        return -EFAULT;
    }
    if (request.tv_sec < 0 || request.tv_nsec < 0 || request.tv_nsec >= 1000000000) {
        return -EINVAL;
    }
    if (user_remaining && user_prepare_write(user_remaining, 8) != 0) {
        return -EFAULT; /* written only when a signal cuts the sleep short, but must be valid */
    }
    uint64_t left =
        clock_sleep_ns((uint64_t)request.tv_sec * 1000000000u + (uint64_t)request.tv_nsec);
    if (left == 0) {
        return 0;
    }
    /* Interrupted: -EINTR even with SA_RESTART (nanosleep is never restarted), and the rest. */
    struct timespec rest = { .tv_sec = (int32_t)(left / 1000000000u),
                             .tv_nsec = (int32_t)(left % 1000000000u) };
    if (user_remaining && copy_to_user(user_remaining, &rest, sizeof(rest)) != 0) {
        return -EFAULT;
    }
    return -EINTR;
}

#define TIMER_ABSTIME 1

/* Linux's clock_nanosleep (32-bit time): a relative sleep like nanosleep, or until an absolute
 * time on clock with TIMER_ABSTIME (whose remainder is never written). */
long sys_clock_nanosleep(int clock, int flags, uint32_t user_request, uint32_t user_remaining)
{
    int64_t now_sec;
    int32_t now_nsec;
    if (clock_read(clock, &now_sec, &now_nsec) != 0) {
        return -EINVAL;
    }
    if (!(flags & TIMER_ABSTIME)) {
        return sys_nanosleep(user_request, user_remaining);
    }
    struct timespec request;
    if (copy_from_user(&request, user_request, sizeof(request)) != 0) {
        return -EFAULT;
    }
    if (request.tv_sec < 0 || request.tv_nsec < 0 || request.tv_nsec >= 1000000000) {
        return -EINVAL;
    }
    int64_t until = (int64_t)request.tv_sec * 1000000000 + request.tv_nsec;
    int64_t now = now_sec * 1000000000 + now_nsec;
    if (until <= now) {
        return 0;
    }
    return clock_sleep_ns((uint64_t)(until - now)) ? -EINTR : 0;
}

/* sync: Ringlet's file tree lives in memory and is read-only: nothing to write back. */
long sys_sync(void)
{
    return 0;
}

static int32_t state_for_ps(const struct proc *p)
{
    switch (p->state) {
    case PROC_RUNNABLE:
        return RINGLET_PROC_RUNNABLE;
    case PROC_RUNNING:
        return RINGLET_PROC_RUNNING;
    case PROC_BLOCKED:
        return p->signals.stopped ? RINGLET_PROC_STOPPED : RINGLET_PROC_BLOCKED;
    default:
        return RINGLET_PROC_ZOMBIE;
    }
}

long ringlet_procs(uint32_t user_buf, uint32_t max)
{
    if (max > PROC_MAX) {
        max = PROC_MAX;
    }
    if (!user_range_ok(user_buf, max * sizeof(struct ringlet_proc_info))) {
        return -EFAULT;
    }
    const struct proc *table = proc_table();
    uint32_t n = 0;
    for (unsigned i = 0; i < PROC_MAX && n < max; i++) {
        const struct proc *p = &table[i];
        if (p->state == PROC_FREE) {
            continue;
        }
        struct ringlet_proc_info info;
        memset(&info, 0, sizeof(info));
        info.pid = p->pid;
        info.parent_pid = p->parent_pid;
        info.state = state_for_ps(p);
        info.runs = p->runs;
        info.pages = p->state == PROC_ZOMBIE ? 0 : vm_user_page_count(&p->mm->space);
        strlcpy(info.name, p->name, sizeof(info.name));
        if (copy_to_user(user_buf + n * sizeof(info), &info, sizeof(info)) != 0) {
            return -EFAULT;
        }
        n++;
    }
    return (long)n;
}

static const struct ringlet_dev_info devices[] = {
    { "serial0", "COM1 16550 UART, 115200 8N1, IRQ 4" },
    { "vga", "VGA text screen, 80x25" },
    { "kbd", "PS/2 keyboard, IRQ 1, US layout" },
    { "pit", "8254 timer, IRQ 0, 100 Hz" },
    { "rtc", "CMOS real-time clock" },
    { "tty", "console: serial+keyboard in, serial+VGA out" },
    { "null", "/dev/null: reads end at once, writes vanish" },
};

long ringlet_devs(uint32_t user_buf, uint32_t max)
{
    uint32_t n = sizeof(devices) / sizeof(devices[0]);
    if (max < n) {
        n = max;
    }
    if (copy_to_user(user_buf, devices, n * sizeof(devices[0])) != 0) {
        return -EFAULT;
    }
    return (long)n;
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM   2
#define GRND_INSECURE 4

/*
 * getrandom: count bytes from random.c's generator (not cryptographic: see random.h).
 * Flags and limits as Linux's: -EINVAL for unknown flags or GRND_RANDOM with GRND_INSECURE.
 */
long sys_getrandom(uint32_t user_buf, uint32_t count, uint32_t flags)
{
    if (flags & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
        (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) {
        return -EINVAL;
    }
    if (count > 0x1ffffffu) {
        count = 0x1ffffffu; /* Linux's most per call (32 MiB - 1) */
    }
    return random_to_user(user_buf, count);
}
