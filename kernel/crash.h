#pragma once

/*
 * crash=KIND on the kernel command line makes the kernel fail on purpose, so the tests can check
 * what each kind of failure looks like: panic, null (a NULL write), stack (kernel stack
 * overflow), frame-double-free, kfree-double-free. Returns when cmdline asks for no crash.
 */
void crash_if_asked(const char *cmdline);
