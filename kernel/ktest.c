/*
 * The in-kernel test runner. Output format: KTAP version 1 (the Linux kernel's test protocol),
 * one subtest per suite, indented four spaces.
 */
#include <ktest.h>

#include <kprintf.h>
#include <lib/text.h>

extern const struct ktest_suite ktest_suites_start[];
extern const struct ktest_suite ktest_suites_end[];

void ktest_fail(struct ktest *t, const char *file, int line, const char *expr)
{
    kprintf("    # %s: EXPECT failed at %s:%d: %s\n", t->name, file, line, expr);
    t->failed = true;
}

void ktest_skip(struct ktest *t, const char *reason)
{
    t->skip_reason = reason;
}

static bool run_suite(const struct ktest_suite *suite, unsigned number, int *failures)
{
    kprintf("    KTAP version 1\n");
    kprintf("    # Subtest: %s\n", suite->name);
    kprintf("    1..%u\n", suite->count);
    bool suite_failed = false;
    for (unsigned i = 0; i < suite->count; i++) {
        struct ktest t = { suite->cases[i].name, false, NULL };
        suite->cases[i].run(&t);
        if (t.skip_reason && !t.failed) {
            kprintf("    ok %u %s # SKIP %s\n", i + 1, t.name, t.skip_reason);
        } else {
            kprintf("    %s %u %s\n", t.failed ? "not ok" : "ok", i + 1, t.name);
        }
        if (t.failed) {
            suite_failed = true;
            (*failures)++;
        }
    }
    kprintf("%s %u %s\n", suite_failed ? "not ok" : "ok", number, suite->name);
    return !suite_failed;
}

int ktest_run(const char *glob)
{
    unsigned matching = 0;
    for (const struct ktest_suite *s = ktest_suites_start; s < ktest_suites_end; s++) {
        if (glob_match(glob, s->name)) {
            matching++;
        }
    }
    kprintf("ktest: %u suites match '%s'\n", matching, glob);
    kprintf("KTAP version 1\n");
    kprintf("1..%u\n", matching);
    int failures = 0;
    unsigned number = 0;
    for (const struct ktest_suite *s = ktest_suites_start; s < ktest_suites_end; s++) {
        if (glob_match(glob, s->name)) {
            run_suite(s, ++number, &failures);
        }
    }
    kprintf("ktest: done, %d failed\n", failures);
    return failures;
}
