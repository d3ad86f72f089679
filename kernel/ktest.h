#pragma once
/*
 * In-kernel tests. A suite is a list of test functions; each test reports through KEXPECT and
 * KASSERT. Booting with ktest=GLOB runs every suite whose name matches and prints the results in
 * KTAP version 1 on the consoles; tools/ringlet/ktap.py reads them back.
 *
 *     static void adds_up(struct ktest *t) { KEXPECT(t, 1 + 1 == 2); }
 *     KTEST_SUITE(arith, KTEST_CASE(adds_up));
 */
#include <stdbool.h>

struct ktest {
    const char *name;
    bool failed;
    const char *skip_reason;
};

typedef void (*ktest_fn)(struct ktest *t);

struct ktest_case {
    const char *name;
    ktest_fn run;
};

struct ktest_suite {
    const char *name;
    const struct ktest_case *cases;
    unsigned count;
};

#define KTEST_CASE(fn) { #fn, fn }

/* Registers a suite in the .ktest_suites section, which the link script collects. */
#define KTEST_SUITE(suite_name, ...)                                                               \
    static const struct ktest_case suite_name##_cases[] = { __VA_ARGS__ };                         \
    __attribute__((section(".ktest_suites"),                                                       \
                   used)) static const struct ktest_suite suite_name##_suite = {                   \
        #suite_name, suite_name##_cases,                                                           \
        sizeof(suite_name##_cases) / sizeof(suite_name##_cases[0])                                 \
    }

/* Records a failure (with the expression and where) and lets the test go on. */
#define KEXPECT(t, expr)                                                                           \
    do {                                                                                           \
        if (!(expr)) {                                                                             \
            ktest_fail((t), __FILE__, __LINE__, #expr);                                            \
        }                                                                                          \
    } while (0)

/* Records a failure and returns from the test function. */
#define KASSERT(t, expr)                                                                           \
    do {                                                                                           \
        if (!(expr)) {                                                                             \
            ktest_fail((t), __FILE__, __LINE__, #expr);                                            \
            return;                                                                                \
        }                                                                                          \
    } while (0)

void ktest_fail(struct ktest *t, const char *file, int line, const char *expr);

/* Marks the running test as skipped, with a reason. */
void ktest_skip(struct ktest *t, const char *reason);

/*
 * Runs every suite whose name matches glob and prints KTAP. Returns the number of failed tests.
 */
int ktest_run(const char *glob);
