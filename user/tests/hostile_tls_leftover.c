/*
 * Hostile: thread-local-storage descriptors left behind in the GDT (Ringlet's TLS entries 6..8
 * play the part of Linux's per-process LDT). A child sets a TLS entry and keeps running while
 * its parent, which never set one, looks at the live GDT with LAR (unprivileged: it reports
 * whether a selector names a usable segment) across many switches; then the child exits and
 * the parent looks again; then a child with an entry set execs this program again, which must
 * start with no entry at all. No other process may ever see an entry it did not set.
 * Prints "hostile_tls_leftover: ok" when all holds; "SHOULD NOT PRINT" lines say what leaked.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <syscall.h>
#include <unistd.h>

struct user_desc {
    uint32_t entry_number;
    uint32_t base_addr;
    uint32_t limit;
    uint32_t flags;
};

/* Whether the CPU would let ring 3 use selector (LAR sets ZF for a valid, visible one). */
static int usable(uint32_t selector)
{
    uint32_t rights = 0;
    uint8_t valid = 0;
    __asm__ volatile("lar %2, %0\n\tsetz %1" : "=r"(rights), "=q"(valid) : "r"(selector) : "cc");
    return valid;
}

static int any_entry_usable(void)
{
    int seen = 0;
    for (uint32_t entry = 6; entry <= 8; entry++) {
        seen |= usable(entry * 8 + 3) << (entry - 6);
    }
    return seen;
}

static int any_entry_set(void)
{
    int set = 0;
    for (uint32_t entry = 6; entry <= 8; entry++) {
        struct user_desc u = { entry, 0, 0, 0 };
        syscall_raw(SYS_get_thread_area, (long)&u, 0, 0, 0, 0, 0);
        set |= (u.base_addr != 0 || u.limit != 0 || u.flags != 0x28) << (entry - 6);
    }
    return set;
}

static int set_entry(void)
{
    struct user_desc u = { 0xffffffffu, 0x12345000u, 0xfffff, 0x51 };
    long r = syscall_raw(SYS_set_thread_area, (long)&u, 0, 0, 0, 0, 0);
    return r == 0 ? (int)u.entry_number : -1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
        int set = any_entry_set(), live = any_entry_usable();
        if (set || live) {
            printf("SHOULD NOT PRINT: after exec, entries %x set and %x live\n", set, live);
            return 1;
        }
        return 0;
    }
    printf("hostile_tls_leftover: about to leave TLS entries behind\n");
    int pipe_fds[2];
    pipe(pipe_fds);
    int child = fork();
    if (child == 0) {
        int entry = set_entry();
        char ready = usable((uint32_t)entry * 8 + 3) ? 'y' : 'n';
        write(pipe_fds[1], &ready, 1);
        for (int i = 0; i < 200; i++) {
            sched_yield(); /* the parent runs between these, with its own (empty) entries */
        }
        _exit(0); /* with the entry still set */
    }
    char ready = 0;
    read(pipe_fds[0], &ready, 1);
    int leaks = 0;
    for (int i = 0; i < 200; i++) {
        leaks |= any_entry_usable();
        sched_yield();
    }
    waitpid(child, NULL, 0);
    leaks |= any_entry_usable() | any_entry_set();
    int exec_child = fork();
    if (exec_child == 0) {
        set_entry();
        char *args[] = { argv[0], "after-exec", NULL };
        execv(argv[0][0] == '/' ? argv[0] : "/mod/hostile_tls_leftover", args);
        _exit(2);
    }
    int status = 0;
    waitpid(exec_child, &status, 0);
    if (ready != 'y') {
        printf("hostile_tls_leftover: FAIL: LAR did not see the child's own entry\n");
        return 1;
    }
    if (leaks) {
        printf("SHOULD NOT PRINT: another process's TLS entries %x were live here\n", leaks);
        return 1;
    }
    printf("hostile_tls_leftover: %s\n", WEXITSTATUS(status) == 0 ? "ok" : "FAIL after exec");
    return WEXITSTATUS(status);
}
