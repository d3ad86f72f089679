/*
 * Host driver for arch/x86/pagetable.c, run by tests/host/test_pagetable.py through
 * hostdriver.py.
 *
 * Persistent: one request a line on stdin, one answer a line on stdout, until EOF (exit 0).
 * The driver simulates physical memory: FRAMES frames of 4 KiB in one malloc'd block of exactly
 * FRAMES * 4096 bytes, frame n at physical address n * 4096. The page directory is frame 1
 * (physical 0x1000); frame 0 is never a table. struct pt_memory's table() turns a physical
 * address into a pointer into the block, and alloc_table() hands out zeroed frames 2, 3, ... in
 * order, or 0 once the budget is used up. Numbers are hex (with or without 0x) unless said
 * otherwise.
 *
 *     reset                   -> ok            all frames zero, tables from frame 2 on, no budget
 *     budget N                -> ok            alloc_table succeeds N (decimal) more times, then
 *                                              returns 0; -1: no limit
 *     newtable                -> 0xPHYS        a table from the same allocator, for the tests
 *     set PHYS VALUE          -> ok            the u32 at physical address PHYS
 *     get PHYS                -> 0xVALUE
 *     walk VA CREATE          -> null | pte 0xPHYS 0xVALUE
 *                                              pt_walk(&mem, 0x1000, VA, CREATE (0|1)): the
 *                                              physical address of the entry and what it holds
 *     allocs                  -> made N failed M   alloc_table calls since the last reset
 *
 * What the tests cannot see from outside is checked here, and a violation aborts with a message
 * on stderr: table() is only ever asked for a 4 KiB-aligned physical address of a frame other
 * than frame 0 (so a walk through a missing or mangled directory entry is caught) and pt_walk's
 * result points at a 4-byte entry inside a table it was allowed to reach.
 */
#include <arch/pagetable.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "pagetable_driver"
#include "driver_io.h"

#define FRAMES        256u
#define FRAME_SIZE    4096u
#define PGDIR_PHYS    0x1000u
#define LINE_MAX_SIZE 256

static uint8_t *memory;
static uint32_t next_frame;
static long budget;
static unsigned made, failed;

static uint32_t *table(void *ctx, uint32_t phys)
{
    (void)ctx;
    if (phys % FRAME_SIZE != 0 || phys == 0 || phys / FRAME_SIZE >= FRAMES) {
        die_fmt("table() asked for something that is not a table frame: 0x%08x", phys);
    }
    return (uint32_t *)(memory + phys);
}

static uint32_t alloc_table(void *ctx)
{
    (void)ctx;
    if (budget == 0 || next_frame == FRAMES) {
        failed++;
        return 0;
    }
    if (budget > 0) {
        budget--;
    }
    uint32_t phys = next_frame++ * FRAME_SIZE;
    memset(memory + phys, 0, FRAME_SIZE);
    made++;
    return phys;
}

static const struct pt_memory mem = { table, alloc_table, NULL };

static void reset(void)
{
    memset(memory, 0, (size_t)FRAMES * FRAME_SIZE);
    next_frame = 2;
    budget = -1;
    made = failed = 0;
}

static uint32_t number(const char *word)
{
    if (word == NULL) {
        die("missing number");
    }
    char *end;
    unsigned long long v = strtoull(word, &end, 16);
    if (*end != '\0' || v > UINT32_MAX) {
        die_detail("bad number", word);
    }
    return (uint32_t)v;
}

static void request(char *line)
{
    char *words[6];
    int count = split_request(line, words, 6);
    const char *op = words[0];
    if (strcmp(op, "reset") == 0) {
        reset();
        printf("ok\n");
    } else if (strcmp(op, "budget") == 0 && count == 2) {
        budget = strtol(words[1], NULL, 10);
        printf("ok\n");
    } else if (strcmp(op, "newtable") == 0) {
        printf("0x%08x\n", alloc_table(NULL));
    } else if (strcmp(op, "set") == 0 && count == 3) {
        uint32_t phys = number(words[1]);
        if (phys % 4 != 0 || phys / FRAME_SIZE >= FRAMES) {
            die_detail("set outside simulated memory", words[1]);
        }
        *(uint32_t *)(memory + phys) = number(words[2]);
        printf("ok\n");
    } else if (strcmp(op, "get") == 0 && count == 2) {
        uint32_t phys = number(words[1]);
        if (phys % 4 != 0 || phys / FRAME_SIZE >= FRAMES) {
            die_detail("get outside simulated memory", words[1]);
        }
        printf("0x%08x\n", *(uint32_t *)(memory + phys));
    } else if (strcmp(op, "walk") == 0 && count == 3) {
        uint32_t *pte = pt_walk(&mem, PGDIR_PHYS, number(words[1]), number(words[2]) != 0);
        if (pte == NULL) {
            printf("null\n");
            return;
        }
        uint8_t *p = (uint8_t *)pte;
        if (p < memory + 2 * FRAME_SIZE || p >= memory + (size_t)FRAMES * FRAME_SIZE ||
            (p - memory) % 4 != 0) {
            die("pt_walk returned a pointer outside the page tables");
        }
        printf("pte 0x%08x 0x%08x\n", (uint32_t)(p - memory), *pte);
    } else if (strcmp(op, "allocs") == 0) {
        printf("made %u failed %u\n", made, failed);
    } else {
        die_detail("unknown request", op);
    }
}

int main(void)
{
    memory = alloc_exact((size_t)FRAMES * FRAME_SIZE, 1);
    reset();
    static char line[LINE_MAX_SIZE];
    serve_lines(line, sizeof(line), request);
    free(memory);
    return 0;
}
