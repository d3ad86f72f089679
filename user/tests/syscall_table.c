/*
 * An LTP-style table of system calls the kernel must refuse, each with the exact -errno it must
 * return: bad user pointers (NULL, kernel addresses, ranges that wrap past 4 GiB, read-only
 * memory the call would write), unknown call numbers and bad file descriptors. Also one call
 * that must work: write from read-only memory. Uses syscall_raw to see the kernel's own answer.
 *
 * One line per check ("ok NAME = RESULT" or "FAIL NAME: got X want Y"), then
 * "syscall_table: N checks, M failed"; the exit status is M (at most 255).
 *
 * The read-only checks need an ELF image, whose .rodata the loader maps read-only. A flat binary
 * is one writable memory image, so there they are skipped ("skip NAME: ..." lines, not counted):
 * the program tells the two apart by AT_PHNUM, which only an ELF image has.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <syscall.h>
#include <unistd.h>

#define KERNEL_BASE 0xC0000000L
#define KERNEL_TEXT 0xC0100000L
#define WRAPPING    0xFFFFFFF0L
#define WRAP_COUNT  0x20L

/* Read-only: .rodata. Large enough for any struct the calls below would write (utsname: 390). */
static const char read_only[512] = "syscall_table: write from .rodata works\n";

/* Writable memory for the calls whose buffer is not the point of the check. */
static char scratch[64];

struct check {
    const char *name;
    long number;
    long args[3];
    long want;
};

/*
 * Reads with bad buffers read from a pipe that holds data, so the call gets as far as copying
 * (from the console it would first wait for a line, as Linux does). A refused read must leave
 * the data in the pipe.
 */
#define FULL_PIPE 10
static const char pipe_data[] = "0123456789abcdef0123456789abcdef";

/* struct user_desc (set_thread_area) that Linux refuses, each for one reason. */
struct user_desc {
    unsigned entry_number, base_addr, limit, flags;
};
static struct user_desc code_segment = { 0xffffffffu, 0, 0xfffff, 0x01 | 2u << 1 }; /* code */
static struct user_desc not_present = { 0xffffffffu, 0, 0xfffff, 0x01 | 0x20 };
static struct user_desc sixteen_bit = { 0xffffffffu, 0x1000, 0xfff, 0 };
static struct user_desc kernel_slot = { 1, 0, 0xfffff, 0x51 }; /* GDT 1: the kernel's code */
static struct user_desc past_tls = { 9, 0, 0xfffff, 0x51 };    /* GDT 9: the double-fault TSS */
static struct user_desc ask_entry_9 = { 9, 0, 0, 0 };

#define RO  ((long)read_only)
#define BUF ((long)scratch)

static const struct check checks[] = {
    /* Bad pointers: the kernel must check them before touching them. */
    { "read(NULL)", SYS_read, { FULL_PIPE, 0, 16 }, -EFAULT },
    { "read(0xc0000000)", SYS_read, { FULL_PIPE, KERNEL_BASE, 16 }, -EFAULT },
    { "read(0xc0100000)", SYS_read, { FULL_PIPE, KERNEL_TEXT, 16 }, -EFAULT },
    { "read(0xfffffff0, 0x20)", SYS_read, { FULL_PIPE, WRAPPING, WRAP_COUNT }, -EFAULT },
    { "write(NULL)", SYS_write, { 1, 0, 16 }, -EFAULT },
    { "write(0xc0000000)", SYS_write, { 1, KERNEL_BASE, 16 }, -EFAULT },
    { "write(0xc0100000)", SYS_write, { 1, KERNEL_TEXT, 16 }, -EFAULT },
    { "write(0xfffffff0, 0x20)", SYS_write, { 1, WRAPPING, WRAP_COUNT }, -EFAULT },
    { "sysinfo(NULL)", SYS_sysinfo, { 0, 0, 0 }, -EFAULT },
    { "sysinfo(0xc0000000)", SYS_sysinfo, { KERNEL_BASE, 0, 0 }, -EFAULT },
    { "sysinfo(0xc0100000)", SYS_sysinfo, { KERNEL_TEXT, 0, 0 }, -EFAULT },
    { "sysinfo(0xfffffff0)", SYS_sysinfo, { WRAPPING, 0, 0 }, -EFAULT },
    { "uname(NULL)", SYS_uname, { 0, 0, 0 }, -EFAULT },
    { "uname(0xc0000000)", SYS_uname, { KERNEL_BASE, 0, 0 }, -EFAULT },
    { "uname(0xc0100000)", SYS_uname, { KERNEL_TEXT, 0, 0 }, -EFAULT },
    { "uname(0xfffffff0)", SYS_uname, { WRAPPING, 0, 0 }, -EFAULT },
    /* Unknown numbers: negative, 0 (a hole), just past the table, in Ringlet's range, huge. */
    { "syscall(-1)", -1, { 0, 0, 0 }, -ENOSYS },
    { "syscall(0)", 0, { 0, 0, 0 }, -ENOSYS },
    { "syscall(SYSCALL_TABLE_SIZE)", SYSCALL_TABLE_SIZE, { 0, 0, 0 }, -ENOSYS },
    { "syscall(1500)", 1000 + 500, { 0, 0, 0 }, -ENOSYS },
    { "syscall(9999)", 9999, { 0, 0, 0 }, -ENOSYS },
    { "syscall(0x80000000)", (long)0x80000000UL, { 0, 0, 0 }, -ENOSYS },
    /* Bad descriptors: 0, 1 and 2 are the console; FULL_PIPE is the only other one open. */
    { "read(fd -1)", SYS_read, { -1, BUF, 1 }, -EBADF },
    { "read(fd 3)", SYS_read, { 3, BUF, 1 }, -EBADF },
    { "read(fd 1000)", SYS_read, { 1000, BUF, 1 }, -EBADF },
    { "write(fd -1)", SYS_write, { -1, BUF, 1 }, -EBADF },
    { "write(fd 3)", SYS_write, { 3, BUF, 1 }, -EBADF },
    { "write(fd 1000)", SYS_write, { 1000, BUF, 1 }, -EBADF },
    { "close(fd -1)", SYS_close, { -1, 0, 0 }, -EBADF },
    { "close(fd 3)", SYS_close, { 3, 0, 0 }, -EBADF },
    { "close(fd 1000)", SYS_close, { 1000, 0, 0 }, -EBADF },
    /* Thread-local storage descriptors Linux refuses: only present 32-bit data segments, in
     * entries 6..8. */
    { "set_thread_area(NULL)", SYS_set_thread_area, { 0, 0, 0 }, -EFAULT },
    { "set_thread_area(code)", SYS_set_thread_area, { (long)&code_segment, 0, 0 }, -EINVAL },
    { "set_thread_area(not present)", SYS_set_thread_area, { (long)&not_present, 0, 0 }, -EINVAL },
    { "set_thread_area(16-bit)", SYS_set_thread_area, { (long)&sixteen_bit, 0, 0 }, -EINVAL },
    { "set_thread_area(entry 1)", SYS_set_thread_area, { (long)&kernel_slot, 0, 0 }, -EINVAL },
    { "set_thread_area(entry 9)", SYS_set_thread_area, { (long)&past_tls, 0, 0 }, -EINVAL },
    { "get_thread_area(entry 9)", SYS_get_thread_area, { (long)&ask_entry_9, 0, 0 }, -EINVAL },
    { "set_thread_area(kernel)", SYS_set_thread_area, { KERNEL_TEXT, 0, 0 }, -EFAULT },
};

/* Writes into read-only memory: refused only where the image has read-only pages (ELF). */
static const struct check read_only_checks[] = {
    { "read(.rodata)", SYS_read, { FULL_PIPE, RO, 16 }, -EFAULT },
    { "sysinfo(.rodata)", SYS_sysinfo, { RO, 0, 0 }, -EFAULT },
    { "uname(.rodata)", SYS_uname, { RO, 0, 0 }, -EFAULT },
};

static int count;
static int failed;

static void run_checks(const struct check *table, size_t n, bool skip)
{
    for (size_t i = 0; i < n; i++) {
        const struct check *c = &table[i];
        if (skip) {
            printf("skip %s: a flat image has no read-only pages\n", c->name);
            continue;
        }
        long got = syscall_raw(c->number, c->args[0], c->args[1], c->args[2], 0, 0, 0);
        count++;
        if (got == c->want) {
            printf("ok %s = %ld\n", c->name, got);
        } else {
            printf("FAIL %s: got %ld want %ld\n", c->name, got, c->want);
            failed++;
        }
    }
}

/* Makes FULL_PIPE the read end of a pipe holding pipe_data. */
static void fill_pipe(void)
{
    int fds[2];
    if (pipe(fds) != 0 || dup2(fds[0], FULL_PIPE) != FULL_PIPE ||
        write(fds[1], pipe_data, sizeof(pipe_data)) != (long)sizeof(pipe_data)) {
        printf("FAIL setting up the pipe\n");
        failed++;
    }
    close(fds[0]);
    close(fds[1]);
}

/* Every refused read left the pipe's bytes where they were. */
static void check_pipe_kept(void)
{
    char got[sizeof(pipe_data)];
    count++;
    if (read(FULL_PIPE, got, sizeof(got)) == (long)sizeof(got) &&
        memcmp(got, pipe_data, sizeof(got)) == 0) {
        printf("ok refused reads took nothing from the pipe\n");
    } else {
        printf("FAIL refused reads took bytes from the pipe\n");
        failed++;
    }
    close(FULL_PIPE);
}

int main(void)
{
    bool elf_image = getauxval(AT_PHNUM) != 0;
    fill_pipe();
    run_checks(checks, sizeof(checks) / sizeof(checks[0]), false);
    run_checks(read_only_checks, sizeof(read_only_checks) / sizeof(read_only_checks[0]),
               !elf_image);

    /* Reading from read-only memory is fine: write() must succeed and write every byte. */
    long length = (long)strlen(read_only);
    long got = syscall_raw(SYS_write, 1, RO, length, 0, 0, 0);
    count++;
    if (got == length) {
        printf("ok write(.rodata) = %ld\n", got);
    } else {
        printf("FAIL write(.rodata): got %ld want %ld\n", got, length);
        failed++;
    }

    check_pipe_kept();
    printf("syscall_table: %d checks, %d failed\n", count, failed);
    return failed > 255 ? 255 : failed;
}
