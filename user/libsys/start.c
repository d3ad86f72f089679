/*
 * The C side of program start-up: crt0.S's _start calls __libsys_start with argc, argv and envp
 * taken from the initial stack. It runs what the StuBS kernels' crti/crtn did for their own
 * global objects: the constructors the compiler lists in .preinit_array and .init_array
 * (gathered by user/user.ld), then main, then exit() with main's result.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/auxv.h>

/* The environment: envp as the kernel passed it, NULL-terminated. */
char **environ;

/* The auxiliary vector: (type, value) pairs after the environment's NULL. */
static const unsigned long *auxv;

/* Bounds of the constructor tables, defined by user/user.ld. */
typedef void (*init_function)(void);
extern const init_function __preinit_array_start[];
extern const init_function __preinit_array_end[];
extern const init_function __init_array_start[];
extern const init_function __init_array_end[];

int main(int argc, char **argv, char **envp);

/*
 * Called once, by _start, with the stack aligned to 16 bytes. Never returns. The auxiliary
 * vector is only located here, not read, so a flat binary whose stack has none still starts.
 */
__attribute__((noreturn)) void __libsys_start(int argc, char **argv, char **envp);

void __libsys_start(int argc, char **argv, char **envp)
{
    char **p = envp;
    environ = envp;
    while (*p != NULL) {
        p++;
    }
    auxv = (const unsigned long *)(p + 1);

    for (const init_function *f = __preinit_array_start; f < __preinit_array_end; f++) {
        (*f)();
    }
    for (const init_function *f = __init_array_start; f < __init_array_end; f++) {
        (*f)();
    }
    exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
    if (auxv != NULL) {
        for (const unsigned long *entry = auxv; entry[0] != AT_NULL; entry += 2) {
            if (entry[0] == type) {
                return entry[1];
            }
        }
    }
    errno = ENOENT;
    return 0;
}
