/*
 * The initial stack as crt0 and __libsys_start read it: argc, argv (NULL-terminated), the
 * environment and the auxiliary vector. Prints each part; exits 1 when it is inconsistent.
 * Prints, e.g. for the command line "args first second":
 *
 *     args: argc 3
 *     argv[0] = args
 *     argv[1] = first
 *     argv[2] = second
 *     args: environ 0
 *     auxv: pagesz 4096
 *     auxv: entry 0x04000000
 *     args: ok
 */
#include <errno.h>
#include <stdio.h>
#include <sys/auxv.h>

extern char **environ;
extern const char _start[];

int main(int argc, char **argv, char **envp)
{
    int failures = 0;

    printf("args: argc %d\n", argc);
    for (int i = 0; i < argc; i++) {
        printf("argv[%d] = %s\n", i, argv[i]);
    }
    if (argv[argc] != NULL) {
        printf("args: FAIL argv[%d] is not NULL\n", argc);
        failures++;
    }

    int envc = 0;
    while (envp[envc] != NULL) {
        printf("envp[%d] = %s\n", envc, envp[envc]);
        envc++;
    }
    printf("args: environ %d\n", envc);
    if (environ != envp) {
        printf("args: FAIL environ %p is not envp %p\n", (void *)environ, (void *)envp);
        failures++;
    }

    /* A kernel may start a flat binary without an auxiliary vector; what is there must be right. */
    errno = 0;
    unsigned long pagesz = getauxval(AT_PAGESZ);
    if (errno == ENOENT) {
        printf("auxv: no AT_PAGESZ\n");
    } else {
        printf("auxv: pagesz %lu\n", pagesz);
        if (pagesz != 4096) {
            printf("args: FAIL AT_PAGESZ %lu, want 4096\n", pagesz);
            failures++;
        }
    }
    errno = 0;
    unsigned long entry = getauxval(AT_ENTRY);
    if (errno == ENOENT) {
        printf("auxv: no AT_ENTRY\n");
    } else {
        printf("auxv: entry 0x%08lx\n", entry);
        if (entry != (unsigned long)_start) {
            printf("args: FAIL AT_ENTRY 0x%08lx, want _start 0x%08lx\n", entry,
                   (unsigned long)_start);
            failures++;
        }
    }
    if (failures == 0) {
        printf("args: ok\n");
    }
    return failures == 0 ? 0 : 1;
}
