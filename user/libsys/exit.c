/*
 * Process exit: exit() and abort(), the atexit table, and __cxa_atexit, through which the C++
 * compiler registers the destructor of every global object right after constructing it.
 * exit() runs the table newest first, so objects die in the reverse order of their birth, then
 * the .fini_array entries in reverse, then ends the process with exit_group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct exit_handler {
    int takes_arg; /* 1: call with_arg(arg) (from __cxa_atexit); 0: call plain() (atexit) */
    union {
        void (*plain)(void);
        void (*with_arg)(void *);
    } fn;
    void *arg;
};

static struct exit_handler handlers[ATEXIT_MAX];
static int handler_count;

typedef void (*fini_function)(void);
extern const fini_function __fini_array_start[];
extern const fini_function __fini_array_end[];

/*
 * The C++ ABI passes &__dso_handle to __cxa_atexit to name the module a destructor belongs to.
 * A static program is one module, so the value only has to exist.
 */
void *__dso_handle = &__dso_handle;

int atexit(void (*fn)(void))
{
    if (handler_count == ATEXIT_MAX) {
        return -1;
    }
    handlers[handler_count].takes_arg = 0;
    handlers[handler_count].fn.plain = fn;
    handlers[handler_count].arg = NULL;
    handler_count++;
    return 0;
}

/* Registers fn(arg) to run at exit(). Returns 0, or -1 when the table is full. */
int __cxa_atexit(void (*fn)(void *), void *arg, void *dso_handle);

int __cxa_atexit(void (*fn)(void *), void *arg, void *dso_handle)
{
    (void)dso_handle;
    if (handler_count == ATEXIT_MAX) {
        return -1;
    }
    handlers[handler_count].takes_arg = 1;
    handlers[handler_count].fn.with_arg = fn;
    handlers[handler_count].arg = arg;
    handler_count++;
    return 0;
}

void exit(int status)
{
    /* A handler that calls exit() again continues with the handlers not yet run. */
    while (handler_count > 0) {
        struct exit_handler h = handlers[--handler_count];
        if (h.takes_arg) {
            h.fn.with_arg(h.arg);
        } else {
            h.fn.plain();
        }
    }
    for (const fini_function *f = __fini_array_end; f > __fini_array_start;) {
        (*--f)();
    }
    exit_group(status);
}

void abort(void)
{
    dprintf(STDERR_FILENO, "abort: pid %d aborted\n", getpid());
    exit_group(134);
}
