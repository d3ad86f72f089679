#include <kbench.h>

#include <arch.h>
#include <frames.h>
#include <heap.h>
#include <kprintf.h>
#include <lib/text.h>

#include <arch/memlayout.h>

#define ITERATIONS 10000u

struct kbench_case {
    const char *name;
    void (*run)(uint32_t iterations);
};

/* The loop with nothing in it: its cost is taken off every case. */
static __attribute__((noinline)) void bench_empty(uint32_t iterations)
{
    for (uint32_t i = 0; i < iterations; i++) {
        __asm__ volatile("" ::: "memory");
    }
}

static __attribute__((noinline)) void bench_frame_alloc_free(uint32_t iterations)
{
    for (uint32_t i = 0; i < iterations; i++) {
        frame_free(frame_alloc());
    }
}

static __attribute__((noinline)) void bench_kmalloc64_kfree(uint32_t iterations)
{
    for (uint32_t i = 0; i < iterations; i++) {
        kfree(kmalloc(64));
    }
}

/* What zeroing costs a page fault or a new page table. */
static __attribute__((noinline)) void bench_page_zero(uint32_t iterations)
{
    uint32_t frame = frame_alloc();
    for (uint32_t i = 0; i < iterations; i++) {
        arch_page_zero(phys_to_virt(frame));
    }
    frame_free(frame);
}

static const struct kbench_case cases[] = {
    { "frame_alloc_free", bench_frame_alloc_free },
    { "kmalloc64_kfree", bench_kmalloc64_kfree },
    { "page_zero", bench_page_zero },
};

static uint64_t measure(void (*run)(uint32_t))
{
    run(ITERATIONS / 10); /* warm up: first slab page, first touches */
    uint64_t start = arch_cycle_counter();
    run(ITERATIONS);
    return arch_cycle_counter() - start;
}

void kbench_run(const char *glob)
{
    uint64_t empty = measure(bench_empty);
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (!glob_match(glob, cases[i].name)) {
            continue;
        }
        uint64_t total = measure(cases[i].run);
        uint64_t net = total > empty ? total - empty : 0;
        kprintf("kbench: %s: %u iterations, %llu instructions/op\n", cases[i].name, ITERATIONS,
                (unsigned long long)(net / ITERATIONS));
    }
}
