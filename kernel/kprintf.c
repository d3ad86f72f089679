/*
 * kprintf collects output in a small buffer and hands it to the consoles in pieces, so each
 * console sees whole runs of text rather than one call per character.
 */
#include <kprintf.h>

#include <arch.h>

#include <arch/registers.h>

#define CHUNK 128

struct console_buffer {
    char text[CHUNK];
    uint32_t used;
};

static void flush(struct console_buffer *b)
{
    arch_console_write(b->text, b->used);
    b->used = 0;
}

static void buffer_char(void *ctx, char c)
{
    struct console_buffer *b = ctx;
    b->text[b->used++] = c;
    if (b->used == CHUNK || c == '\n') {
        flush(b);
    }
}

int kvprintf(const char *fmt, va_list args)
{
    struct console_buffer b = { .used = 0 };
    int n = format_v(buffer_char, &b, fmt, args);
    flush(&b);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = kvprintf(fmt, args);
    va_end(args);
    return n;
}

static int panicking;

_Noreturn void panic_stop(void)
{
    kprintf("panic: the machine is stopped.\n");
    arch_stop(STOP_PANIC);
}

_Noreturn void panic(const char *fmt, ...)
{
    struct arch_registers regs;
    arch_capture_registers(&regs);
    if (panicking++) {
        /* A panic while printing a panic: say the least and stop. */
        kprintf("panic: nested panic\n");
        arch_stop(STOP_PANIC);
    }
    kprintf("\npanic: ");
    va_list args;
    va_start(args, fmt);
    kvprintf(fmt, args);
    va_end(args);
    kprintf("\n");
    arch_print_registers(&regs);
    arch_print_backtrace(0, arch_registers_frame_pointer(&regs));
    panic_stop();
}
