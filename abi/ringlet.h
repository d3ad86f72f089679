#pragma once
/* Ringlet's own calls (numbers from 1000): the process list for ps and the device list for dev. */
#include <stdint.h>

#define RINGLET_NAME_SIZE 32

enum ringlet_proc_state {
    RINGLET_PROC_RUNNABLE = 1,
    RINGLET_PROC_RUNNING = 2,
    RINGLET_PROC_BLOCKED = 3, /* waiting: a pipe, a child, the console, a sleep */
    RINGLET_PROC_ZOMBIE = 4,
    RINGLET_PROC_STOPPED = 5, /* job control: stopped until SIGCONT */
};

struct ringlet_proc_info {
    int32_t pid;
    int32_t parent_pid;
    int32_t state;  /* enum ringlet_proc_state */
    uint32_t runs;  /* times it was scheduled */
    uint32_t pages; /* user pages mapped */
    char name[RINGLET_NAME_SIZE];
};

struct ringlet_dev_info {
    char name[16];
    char description[48];
};

/* Events that instruction counts hide, counted since boot (ringlet_counters, call 1002). */
struct ringlet_counters {
    uint32_t kernel_entries; /* system calls, interrupts and exceptions: privilege switches */
    uint32_t cr3_loads;      /* address-space switches (each flushes the TLB's user entries) */
    uint32_t page_faults;
    uint32_t ipc_fast_paths; /* IPC calls and replies that switched directly (ipc.c) */
};
