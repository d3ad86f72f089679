#include <crash.h>

#include <frames.h>
#include <heap.h>
#include <kprintf.h>
#include <lib/string.h>
#include <lib/text.h>
#include <spinlock.h>

static volatile int *volatile null_pointer;

/*
 * Not a leaf function (it calls kprintf), so GCC gives it a frame and the backtrace shows its
 * caller too: GCC leaves the frame pointer out of leaf functions even with -fno-omit-frame-pointer.
 */
static __attribute__((noinline)) void crash_write_null(void)
{
    *null_pointer = 0x5a5a; /* page 0 is never mapped */
    kprintf("crash: wrote through NULL and lived?!\n");
}

/* Each call takes a kilobyte of stack; 16 of them run off the 16 KiB boot stack. */
static __attribute__((noinline)) int crash_recurse(int depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    if (depth > 1000000) {
        return frame[0]; /* never reached: the stack ends long before */
    }
    return crash_recurse(depth + 1) + frame[0];
}

void crash_if_asked(const char *cmdline)
{
    char how[24];
    if (!cmdline_get(cmdline, "crash", how, sizeof(how))) {
        return;
    }
    kprintf("crash: doing '%s' on purpose\n", how);
    if (strcmp(how, "panic") == 0) {
        panic("kmain: crash requested on the command line");
    } else if (strcmp(how, "null") == 0) {
        crash_write_null();
    } else if (strcmp(how, "stack") == 0) {
        crash_recurse(0);
    } else if (strcmp(how, "frame-double-free") == 0) {
        uint32_t f = frame_alloc();
        frame_free(f);
        frame_free(f);
    } else if (strcmp(how, "kfree-double-free") == 0) {
        void *p = kmalloc(64);
        void *keep = kmalloc(64); /* keeps the slab in use, so the page stays a slab */
        kfree(p);
        kfree(p);
        kfree(keep);
    } else if (strcmp(how, "lock-order") == 0) {
        /* Two locks taken against the order spinlock.h writes down: DEBUG builds panic. */
        static struct spinlock late = SPINLOCK_INIT("crash late lock", LOCK_ORDER_TEST);
        static struct spinlock early = SPINLOCK_INIT("crash early lock", LOCK_ORDER_HEAP);
        spin_lock(&late);
        spin_lock(&early);
        spin_unlock(&early);
        spin_unlock(&late);
    }
    kprintf("crash: unknown kind '%s' (known: panic, null, stack, frame-double-free, "
            "kfree-double-free, lock-order); going on\n",
            how);
}
