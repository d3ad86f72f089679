/*
 * The frame allocator. One struct frame per physical frame up to the highest usable address
 * (the "frame table", itself placed in the first free RAM big enough for it). Free frames sit on
 * a doubly linked list threaded through the table, so taking one, giving one back, and taking a
 * particular one out for a contiguous run are all O(1).
 */
#include <frames.h>

#include <arch.h>
#include <kprintf.h>
#include <spinlock.h>
#include <lib/memrange.h>
#include <lib/string.h>

#include <arch/memlayout.h>

#define NO_FRAME       0xffffffffu
#define LOW_MEMORY_END 0x100000u /* BIOS, VGA and ROM live below 1 MiB */
#define MAX_RESERVED   (4 + BOOTINFO_MAX_MODULES)
#define MAX_RANGES     160

enum frame_state { FRAME_RESERVED, FRAME_FREE, FRAME_USED };

struct frame {
    uint32_t next; /* free list links (frame numbers), NO_FRAME at the ends */
    uint32_t prev;
    uint16_t refs;
    uint8_t state;
    uint8_t unused;
};

struct reserved_range {
    const char *what;
    struct phys_range range;
};

static struct frame *frame_table;
static uint32_t frame_count; /* entries in frame_table */
static uint32_t free_head = NO_FRAME;
static uint32_t free_frames;
static uint32_t managed_frames;
static uint64_t usable_frames;     /* available in the map, below the direct map's end */
static uint64_t unused_high_bytes; /* available in the map, above what the kernel maps */
static struct reserved_range reserved[MAX_RESERVED];
static unsigned reserved_count;

extern char kernel_phys_start[];
extern char kernel_end[];

static void push_free(uint32_t n)
{
    struct frame *f = &frame_table[n];
    f->state = FRAME_FREE;
    f->refs = 0;
    f->prev = NO_FRAME;
    f->next = free_head;
    if (free_head != NO_FRAME) {
        frame_table[free_head].prev = n;
    }
    free_head = n;
    free_frames++;
}

static void unlink_free(uint32_t n)
{
    struct frame *f = &frame_table[n];
    if (f->prev != NO_FRAME) {
        frame_table[f->prev].next = f->next;
    } else {
        free_head = f->next;
    }
    if (f->next != NO_FRAME) {
        frame_table[f->next].prev = f->prev;
    }
    f->state = FRAME_USED;
    f->refs = 1;
    free_frames--;
}

static void add_reserved(const char *what, uint64_t start, uint64_t end)
{
    reserved[reserved_count].what = what;
    reserved[reserved_count].range.start = start;
    reserved[reserved_count].range.end = end;
    reserved_count++;
}

static size_t compute_free(const struct boot_info *info, unsigned with_reserved, uint64_t limit,
                           struct phys_range *out)
{
    static struct phys_range ranges[MAX_RESERVED];
    static struct phys_range scratch[BOOTINFO_MAX_REGIONS + MAX_RESERVED + 1];
    for (unsigned i = 0; i < with_reserved; i++) {
        ranges[i] = reserved[i].range;
    }
    size_t n = range_free_frames(info->regions, info->region_count, ranges, with_reserved, limit,
                                 scratch, out, MAX_RANGES);
    if (n > MAX_RANGES) {
        kprintf("frames: memory map too fragmented; using the first %u ranges\n", MAX_RANGES);
        n = MAX_RANGES;
    }
    return n;
}

void frame_init(const struct boot_info *info, uint32_t boot_info_phys, uint32_t boot_info_size)
{
    static struct phys_range free_ranges[MAX_RANGES];
    static struct phys_range all_ranges[MAX_RANGES];

    add_reserved("first 1 MiB (BIOS, VGA)", 0, LOW_MEMORY_END);
    add_reserved("kernel image", (uint32_t)(uintptr_t)kernel_phys_start, virt_to_phys(kernel_end));
    add_reserved("boot information", boot_info_phys, (uint64_t)boot_info_phys + boot_info_size);
    for (unsigned i = 0; i < info->module_count; i++) {
        add_reserved("module", info->modules[i].start, info->modules[i].end);
    }

    size_t n_all = compute_free(info, 0, 0x100000000ull, all_ranges);
    uint64_t all_bytes = range_frame_count(all_ranges, n_all) * FRAME_SIZE;
    size_t n_usable = compute_free(info, 0, DIRECT_MAP_SIZE, all_ranges);
    usable_frames = range_frame_count(all_ranges, n_usable);
    unused_high_bytes = all_bytes - usable_frames * FRAME_SIZE;

    size_t n_free = compute_free(info, reserved_count, DIRECT_MAP_SIZE, free_ranges);
    if (n_free == 0 || free_ranges[n_free - 1].end <= LOW_MEMORY_END) {
        kprintf("frames: no usable RAM above 1 MiB in the memory map; cannot go on\n");
        arch_stop(STOP_PANIC);
    }

    /* The table covers every frame up to the highest free one or the end of the highest
     * module, whichever is higher: a module may sit above every free frame (at the top of RAM,
     * or in a region the map calls reserved), and its frames are adopted and shared
     * copy-on-write like any other. Place the table in the first range large enough, and
     * reserve it. */
    frame_count = (uint32_t)(free_ranges[n_free - 1].end / FRAME_SIZE);
    for (unsigned i = 0; i < info->module_count; i++) {
        uint64_t end = (uint64_t)info->modules[i].end + FRAME_SIZE - 1;
        if (end / FRAME_SIZE > frame_count && info->modules[i].end <= DIRECT_MAP_SIZE) {
            frame_count = (uint32_t)(end / FRAME_SIZE);
        }
    }
    uint32_t table_bytes = frame_count * (uint32_t)sizeof(struct frame);
    uint32_t table_frames = (table_bytes + FRAME_SIZE - 1) / FRAME_SIZE;
    uint64_t table_start = 0;
    for (size_t i = 0; i < n_free; i++) {
        if (free_ranges[i].end - free_ranges[i].start >= (uint64_t)table_frames * FRAME_SIZE) {
            table_start = free_ranges[i].start;
            break;
        }
    }
    if (table_start == 0) {
        kprintf("frames: no room for a frame table of %u KiB; cannot go on\n", table_bytes / 1024);
        arch_stop(STOP_PANIC);
    }
    add_reserved("frame table", table_start, table_start + (uint64_t)table_frames * FRAME_SIZE);
    n_free = compute_free(info, reserved_count, DIRECT_MAP_SIZE, free_ranges);

    frame_table = phys_to_virt((uint32_t)table_start);
    memset(frame_table, 0, table_bytes); /* every frame starts out reserved */
    /* Push in reverse, so the lowest frames are handed out first (easier to read in logs). */
    for (size_t i = n_free; i-- > 0;) {
        for (uint64_t a = free_ranges[i].end; a > free_ranges[i].start; a -= FRAME_SIZE) {
            push_free((uint32_t)(a / FRAME_SIZE) - 1);
        }
    }
    managed_frames = free_frames;
}

void frame_print_report(void)
{
    kprintf("reserved physical memory:\n");
    for (unsigned i = 0; i < reserved_count; i++) {
        kprintf("  0x%08llx-0x%08llx  %s\n", (unsigned long long)reserved[i].range.start,
                (unsigned long long)reserved[i].range.end, reserved[i].what);
    }
    if (unused_high_bytes) {
        kprintf("frames: %llu MiB of RAM above %u MiB is not mapped by the kernel; not used\n",
                (unsigned long long)(unused_high_bytes >> 20), DIRECT_MAP_SIZE >> 20);
    }
    kprintf("frames: %llu usable below %u MiB, %u free at boot\n",
            (unsigned long long)usable_frames, DIRECT_MAP_SIZE >> 20, managed_frames);
}

static uint32_t frame_number(uint32_t phys, const char *caller)
{
    uint32_t n = phys / FRAME_SIZE;
    if ((phys & (FRAME_SIZE - 1)) != 0 || n >= frame_count) {
        panic("%s: bad frame address 0x%08x", caller, phys);
    }
    return n;
}

/* The free list, the frame table's states and reference counts, and the counts: the seed's
 * "MPStuBS must prevent concurrent access to the page frame allocator!" Taken last of all the
 * kernel's locks but the console (spinlock.h), so the heap may call in while holding its own. */
static struct spinlock frame_lock = SPINLOCK_INIT("frame allocator", LOCK_ORDER_FRAMES);

uint32_t frame_alloc(void)
{
    spin_lock(&frame_lock);
    uint32_t n = free_head;
    if (n != NO_FRAME) {
        unlink_free(n);
    }
    spin_unlock(&frame_lock);
    return n == NO_FRAME ? 0 : n * FRAME_SIZE;
}

uint32_t frame_alloc_zeroed(void)
{
    uint32_t phys = frame_alloc();
    if (phys) {
        arch_page_zero(phys_to_virt(phys));
    }
    return phys;
}

void frame_ref(uint32_t phys)
{
    struct frame *f = &frame_table[frame_number(phys, "frame_ref")];
    spin_lock(&frame_lock);
    if (f->state != FRAME_USED) {
        panic("frame_ref: frame 0x%08x is not allocated", phys);
    }
    if (f->refs == UINT16_MAX) {
        panic("frame_ref: too many references to frame 0x%08x", phys);
    }
    f->refs++;
    spin_unlock(&frame_lock);
}

void frame_free(uint32_t phys)
{
    uint32_t n = frame_number(phys, "frame_free");
    struct frame *f = &frame_table[n];
    spin_lock(&frame_lock);
    if (f->state == FRAME_FREE) {
        panic("frame_free: frame 0x%08x freed twice", phys);
    }
    if (f->state == FRAME_RESERVED) {
        panic("frame_free: frame 0x%08x is reserved", phys);
    }
    if (--f->refs == 0) {
        push_free(n);
    }
    spin_unlock(&frame_lock);
}

unsigned frame_refcount(uint32_t phys)
{
    uint32_t n = phys / FRAME_SIZE;
    return n < frame_count && frame_table[n].state == FRAME_USED ? frame_table[n].refs : 0;
}

/* Where the last run search ended: the next one starts there (next fit). */
static uint32_t run_hint;

/* The first frame of count free frames in a row within [from, to), or NO_FRAME. */
static uint32_t find_run(uint32_t from, uint32_t to, uint32_t count)
{
    uint32_t run = 0;
    for (uint32_t n = from; n < to; n++) {
        run = frame_table[n].state == FRAME_FREE ? run + 1 : 0;
        if (run == count) {
            return n + 1 - count;
        }
    }
    return NO_FRAME;
}

uint32_t frame_alloc_run(uint32_t count)
{
    if (count <= 1) {
        return count == 1 ? frame_alloc() : 0;
    }
    /* Next fit: the frames after the last run are the likeliest to be free, and the low ones
     * (the kernel, the modules, long-lived tables) are not scanned again each time. */
    spin_lock(&frame_lock);
    uint32_t first = find_run(run_hint, frame_count, count);
    if (first == NO_FRAME) {
        uint32_t end = run_hint + count - 1 < frame_count ? run_hint + count - 1 : frame_count;
        first = find_run(0, end, count); /* wrapped: a run may end just past the hint */
    }
    if (first != NO_FRAME) {
        for (uint32_t i = first; i < first + count; i++) {
            unlink_free(i);
        }
        run_hint = first + count;
    }
    spin_unlock(&frame_lock);
    return first == NO_FRAME ? 0 : first * FRAME_SIZE;
}

void frame_adopt(uint32_t start, uint32_t end)
{
    spin_lock(&frame_lock);
    for (uint32_t a = start & ~(FRAME_SIZE - 1);
         a + FRAME_SIZE <= end && a / FRAME_SIZE < frame_count; a += FRAME_SIZE) {
        struct frame *f = &frame_table[a / FRAME_SIZE];
        if (f->state == FRAME_RESERVED && a >= LOW_MEMORY_END) {
            f->state = FRAME_USED;
            f->refs = 1;
        }
    }
    spin_unlock(&frame_lock);
}

uint32_t frame_free_count(void)
{
    return free_frames;
}

uint32_t frame_total_count(void)
{
    return managed_frames;
}
