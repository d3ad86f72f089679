/*
 * mmap2, munmap and mprotect as a libc program uses them: malloc of many sizes (the libc's malloc
 * takes large blocks with mmap), anonymous and file mappings, partial unmaps and protection
 * changes that split mappings, PROT_NONE, MAP_FIXED, and the errno of bad calls. Whether an
 * access faults is seen from a forked child: it dies of SIGSEGV, which the parent's wait reports.
 * One line per failed check; ends with "mmap: N checks, M failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_NAME "mmap"
#include "check.h"

#define PAGE 4096

static void expect_failure(const char *name, void *result, int want)
{
    checks++;
    if (result != MAP_FAILED || errno != want) {
        failures++;
        printf("mmap: FAIL %s: errno %d, want %d\n", name, errno, want);
    }
}

#define BAD(name, call, want)                                                                      \
    do {                                                                                           \
        errno = 0;                                                                                 \
        void *result_ = (call);                                                                    \
        expect_failure(name, result_, want);                                                       \
    } while (0)

/* How a child that touches p (writing when write is set) ends: 0 fine, else its signal. */
static int touch_in_child(volatile char *p, int write)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (write) {
            *p = 1;
        } else {
            (void)*p;
        }
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void malloc_sizes(void)
{
    size_t sizes[] = { 1, 16, 100, 4000, 4096, 65536, 100000, 300000, 1 << 20, 8 << 20 };
    unsigned char *blocks[10];
    int ok = 1;
    for (int i = 0; i < 10; i++) {
        blocks[i] = malloc(sizes[i]);
        if (blocks[i] == NULL) {
            ok = 0;
            continue;
        }
        memset(blocks[i], i + 1, sizes[i]);
    }
    for (int i = 0; i < 10; i++) {
        if (blocks[i] && (blocks[i][0] != i + 1 || blocks[i][sizes[i] - 1] != i + 1)) {
            ok = 0;
        }
        free(blocks[i]);
    }
    check(ok, "malloc and free of 1 byte to 8 MiB");
    printf("mmap: malloc of 10 sizes up to 8 MiB %s\n", ok ? "ok" : "failed");
}

int main(int argc, char **argv)
{
    (void)argc;
    malloc_sizes();

    /* Anonymous memory is zero, and a hole punched in the middle faults; the rest stays. */
    char *a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(a != MAP_FAILED, "mmap anonymous");
    check(a[0] == 0 && a[3 * PAGE - 1] == 0, "anonymous pages read as zero");
    memset(a, 'x', 3 * PAGE);
    check(munmap(a + PAGE, PAGE) == 0, "munmap the middle page");
    check(a[0] == 'x' && a[2 * PAGE] == 'x', "the pages around a hole keep their data");
    int hole = touch_in_child(a + PAGE, 0);
    check(hole == 11, "reading an unmapped hole is SIGSEGV");
    printf("mmap: hole in the middle: child signal %d, neighbours %c%c\n", hole, a[0], a[2 * PAGE]);

    /* Read-only: data kept, writes fault; PROT_NONE and back keeps the data too. */
    check(mprotect(a, PAGE, PROT_READ) == 0, "mprotect read-only");
    int ro = touch_in_child(a, 1);
    check(ro == 11 && a[0] == 'x', "writing a read-only page is SIGSEGV");
    check(mprotect(a + 2 * PAGE, PAGE, PROT_NONE) == 0, "mprotect PROT_NONE");
    int none = touch_in_child(a + 2 * PAGE, 0);
    check(mprotect(a + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect back");
    check(none == 11 && a[2 * PAGE] == 'x', "PROT_NONE faults and keeps the data");
    printf("mmap: read-only write: signal %d; PROT_NONE read: signal %d; data after: %c\n", ro,
           none, a[2 * PAGE]);
    errno = 0;
    check(mprotect(a, 3 * PAGE, PROT_READ) == -1 && errno == ENOMEM,
          "mprotect over a hole is ENOMEM");

    /* A reservation made PROT_NONE, then opened page by page. */
    char *r = mmap(NULL, 16 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(r != MAP_FAILED, "PROT_NONE reservation");
    check(touch_in_child(r + 5 * PAGE, 0) == 11, "a reservation faults");
    check(mprotect(r + 4 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE) == 0, "open two pages");
    r[4 * PAGE] = 'o';
    r[6 * PAGE - 1] = 'p';
    check(touch_in_child(r + 6 * PAGE, 0) == 11, "the page after the opened ones still faults");

    /* MAP_FIXED replaces; MAP_FIXED_NOREPLACE refuses. */
    char *f = mmap(r + 4 * PAGE, PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check(f == r + 4 * PAGE && f[0] == 0, "MAP_FIXED replaces with zeros");
    errno = 0;
    char *n = mmap(r, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    check(n == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapping is EEXIST");
    check(munmap(r, 16 * PAGE) == 0, "munmap the reservation");

    /* A file mapping: the program's own file, compared with read(). */
    int fd = open(argv[0][0] == '/' ? argv[0] : "/mod/mmap_edges", O_RDONLY);
    check(fd >= 0, "open the program's file");
    unsigned char *m = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    check(m != MAP_FAILED && memcmp(m, "\177ELF", 4) == 0, "a file mapping starts with the file");
    unsigned char second[PAGE];
    lseek(fd, PAGE, SEEK_SET);
    check(read(fd, second, PAGE) == PAGE && memcmp(m + PAGE, second, PAGE) == 0,
          "the second page is the file's second page");
    unsigned char *o = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    check(o != MAP_FAILED && memcmp(o, second, PAGE) == 0, "an offset of one page");
    printf("mmap: file mapping: %c%c%c, page 2 %s\n", m[1], m[2], m[3],
           memcmp(m + PAGE, second, PAGE) == 0 ? "matches read()" : "differs");

    /* Private after fork: the child's writes are its own. */
    char *c = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(c, "parent");
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(c, "child");
        _exit(c[0] == 'c' ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0 && strcmp(c, "parent") == 0,
          "a private mapping is copied on write after fork");

    /* A read-only private page shared by fork stays shared copy-on-write: a child that makes
     * it writable again writes its own copy, never the parent's page. */
    char *ro_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ro_page[0] = 'A';
    mprotect(ro_page, PAGE, PROT_READ);
    pid = fork();
    if (pid == 0) {
        if (mprotect(ro_page, PAGE, PROT_READ | PROT_WRITE) != 0) {
            _exit(2);
        }
        ro_page[0] = 'B';
        _exit(ro_page[0] == 'B' ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child could write its copy");
    printf("mmap: after the child wrote its copy of a read-only page the parent sees %c\n",
           ro_page[0]);
    check(ro_page[0] == 'A', "a child's mprotect+write never reaches the parent's page");

    /* A hint that would run past the top is not taken as it is. */
    char *high = mmap((void *)0xf0000000u, 0x20000000u, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(high == MAP_FAILED ||
              ((uintptr_t)high >= 0x1000 && (uintptr_t)high + 0x20000000u <= 0xc0000000u),
          "a hint past the top gives an ordinary placement");
    if (high != MAP_FAILED) {
        munmap(high, 0x20000000u);
    }

    /* MAP_FIXED_NOREPLACE refuses the heap too (it is not an area, but it is in use). */
    char *heap = (char *)syscall(SYS_brk, 0);
    syscall(SYS_brk, heap + PAGE);
    errno = 0;
    char *over_heap =
        mmap(heap, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    check(over_heap == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over the heap");

    /* mprotect: an empty range is fine whatever the bits; a shared file mapping stays
     * read-only. */
    check(mprotect(a, 0, 0x80) == 0, "mprotect of 0 bytes succeeds before the bits are checked");
    char *shared = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    check(shared != MAP_FAILED && shared[1] == 'E', "a shared read-only file mapping");
    errno = 0;
    check(mprotect(shared, PAGE, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
          "a shared mapping of a read-only file cannot become writable");

    /* Bad calls, with Linux's errno. */
    int pipefd[2];
    pipe(pipefd);
    BAD("len 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    BAD("bad fd", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0), EBADF);
    BAD("a pipe", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pipefd[0], 0), ENODEV);
    BAD("no type", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
    BAD("fixed unaligned",
        mmap((void *)0x10000001, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
        EINVAL);
    BAD("fixed in the kernel",
        mmap((void *)0xc0000000, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
        ENOMEM);
    BAD("huge", mmap(NULL, 0xf0000000u, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
    errno = 0;
    check(munmap((void *)0x10000001, PAGE) == -1 && errno == EINVAL, "munmap unaligned");
    errno = 0;
    check(munmap(a, 0) == -1 && errno == EINVAL, "munmap of 0 bytes");
    errno = 0;
    check(mprotect((void *)0x30000000, PAGE, PROT_READ) == -1 && errno == ENOMEM,
          "mprotect of unmapped memory");
    errno = 0;
    check(mprotect(a, PAGE, 0x80) == -1 && errno == EINVAL, "mprotect with unknown bits");

    /* brk keeps working beside the mappings. */
    char *before = (char *)syscall(SYS_brk, 0); /* musl's sbrk only reports the break */
    check((char *)syscall(SYS_brk, before + 4 * PAGE) == before + 4 * PAGE &&
              before[4 * PAGE - 1] == 0,
          "brk beside mmap");

    return check_summary();
}
