#pragma once
/* Signal numbers and wait statuses, with Linux's values. */
#define SIGINT  2
#define SIGILL  4
#define SIGTRAP 5
#define SIGFPE  8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGTERM 15

/* waitpid options */
#define WNOHANG 1

/* The status waitpid stores: exit code in bits 8-15, or the killing signal in bits 0-6. */
#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)    ((s) & 0x7f)
