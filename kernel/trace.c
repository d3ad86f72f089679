/*
 * The trace ring buffer (kernel/trace.h). Events are 16 bytes; the buffer is one run of
 * frames taken at boot and kept for the machine's life. The kernel runs one thing at a time
 * with interrupts off, so recording needs no lock.
 */
#include <trace.h>

#include <arch.h>
#include <clock.h>
#include <frames.h>
#include <kprintf.h>
#include <lib/string.h>
#include <lib/text.h>
#include <proc.h>

#include <arch/memlayout.h>

#define DEFAULT_EVENTS 32768u
#define NAME_SLOTS     256u /* the names of the last 256 new processes and execs */
#define NAME_SIZE      16
#define MAX_EVENTS     (1u << 20)

struct trace_event {
    uint64_t cycles;
    uint16_t kind;
    uint16_t pid;
    uint32_t arg;
};
_Static_assert(sizeof(struct trace_event) == 16, "trace events are 16 bytes");

volatile uint8_t trace_enabled;
static struct trace_event *events;
static uint32_t capacity; /* a power of two */
static uint64_t recorded; /* ever; the buffer holds the last min(recorded, capacity) */
static uint64_t start_cycles;
static uint64_t start_tick;
static char names[NAME_SLOTS][NAME_SIZE];
static uint32_t names_used; /* ever; slot = count % NAME_SLOTS */

void trace_init(const char *cmdline)
{
    char value[16];
    if (!cmdline_get(cmdline, "trace", value, sizeof(value)) || value[0] == '0') {
        return;
    }
    uint32_t wanted = DEFAULT_EVENTS;
    if (value[0] != '1' || value[1] != '\0') {
        wanted = 0;
        for (const char *c = value; *c >= '0' && *c <= '9'; c++) {
            wanted = wanted * 10 + (uint32_t)(*c - '0');
            if (wanted > MAX_EVENTS) {
                break;
            }
        }
    }
    capacity = 256;
    while (capacity < wanted && capacity < MAX_EVENTS) {
        capacity *= 2;
    }
    uint32_t frames = capacity * sizeof(struct trace_event) / PAGE_SIZE;
    uint32_t phys = frame_alloc_run(frames);
    if (phys == 0) {
        kprintf("trace: no room for %u events; tracing stays off\n", capacity);
        return;
    }
    events = phys_to_virt(phys);
    start_cycles = arch_cycle_counter();
    start_tick = clock_ticks();
    trace_enabled = 1;
    kprintf("trace: recording the last %u switches, system calls and interrupts\n", capacity);
}

void trace_record(enum trace_kind kind, int pid, uint32_t arg)
{
    struct trace_event *e = &events[recorded++ & (capacity - 1)];
    e->cycles = arch_cycle_counter();
    e->kind = (uint16_t)kind;
    e->pid = (uint16_t)pid;
    e->arg = arg;
}

void trace_name(int pid, const char *name)
{
    uint32_t slot = names_used++ % NAME_SLOTS;
    strlcpy(names[slot], name, NAME_SIZE);
    trace_record(TRACE_NAME, pid, slot);
}

void trace_irq(unsigned irq)
{
    trace_record(TRACE_IRQ, current ? current->pid : 0, irq);
}

void trace_syscall_enter(uint32_t number)
{
    trace_record(TRACE_SYSCALL, current ? current->pid : 0, number);
}

void trace_syscall_exit(uint32_t result)
{
    trace_record(TRACE_SYSCALL_END, current ? current->pid : 0, result);
}

void trace_dump(void)
{
    if (!trace_enabled) {
        return;
    }
    trace_enabled = 0;
    uint64_t ticks = clock_ticks() - start_tick;
    uint64_t per_tick = ticks ? (arch_cycle_counter() - start_cycles) / ticks : 0;
    uint64_t kept = recorded < capacity ? recorded : capacity;
    kprintf("trace: begin %u events (%u overwritten), %u cycles per %u ns tick\n", (unsigned)kept,
            (unsigned)(recorded - kept), (unsigned)per_tick, (unsigned)NS_PER_TICK);
    uint32_t slots = names_used < NAME_SLOTS ? names_used : NAME_SLOTS;
    for (uint32_t slot = 0; slot < slots; slot++) {
        kprintf("trace: name %u %s\n", slot, names[slot]);
    }
    for (uint64_t i = recorded - kept; i < recorded; i++) {
        const struct trace_event *e = &events[i & (capacity - 1)];
        kprintf("T %x%08x %u %u %x\n", (unsigned)(e->cycles >> 32), (unsigned)e->cycles, e->kind,
                e->pid, e->arg);
    }
    kprintf("trace: end\n");
}
