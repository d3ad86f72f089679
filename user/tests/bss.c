/*
 * The loader's work on the data segment: a 1 MiB .bss must arrive zeroed (all of it, including
 * the bytes sharing a page with .data) and .data with its initial values; both must be writable.
 */
#include <stdint.h>
#include <stdio.h>

#define BIG_SIZE   (1024 * 1024)
#define DATA_COUNT 8

/* Not static, so the compiler cannot assume their contents and must read memory. */
unsigned char bss_big[BIG_SIZE];
uint32_t bss_word;
uint32_t data_values[DATA_COUNT] = { 1, 2, 3, 5, 8, 13, 21, 0xdeadbeef };

static const uint32_t data_expected[DATA_COUNT] = { 1, 2, 3, 5, 8, 13, 21, 0xdeadbeef };

static unsigned char pattern(uint32_t i)
{
    return (unsigned char)(i * 7 + (i >> 12));
}

static int fail(const char *what, uint32_t index, uint32_t got, uint32_t want)
{
    printf("bss: FAIL %s[%u] = 0x%x, want 0x%x\n", what, index, got, want);
    return 1;
}

int main(void)
{
    printf("bss: .bss %u bytes at %p, .data at %p\n", BIG_SIZE, (void *)bss_big,
           (void *)data_values);

    if (bss_word != 0) {
        return fail("bss_word", 0, bss_word, 0);
    }
    for (uint32_t i = 0; i < BIG_SIZE; i++) {
        if (bss_big[i] != 0) {
            return fail("bss_big", i, bss_big[i], 0);
        }
    }
    for (uint32_t i = 0; i < DATA_COUNT; i++) {
        if (data_values[i] != data_expected[i]) {
            return fail("data_values", i, data_values[i], data_expected[i]);
        }
    }

    for (uint32_t i = 0; i < BIG_SIZE; i++) {
        bss_big[i] = pattern(i);
    }
    for (uint32_t i = 0; i < DATA_COUNT; i++) {
        data_values[i] = ~data_expected[i];
    }
    bss_word = 0x12345678;

    for (uint32_t i = 0; i < BIG_SIZE; i++) {
        if (bss_big[i] != pattern(i)) {
            return fail("bss_big (rewritten)", i, bss_big[i], pattern(i));
        }
    }
    for (uint32_t i = 0; i < DATA_COUNT; i++) {
        if (data_values[i] != ~data_expected[i]) {
            return fail("data_values (rewritten)", i, data_values[i], ~data_expected[i]);
        }
    }
    if (bss_word != 0x12345678) {
        return fail("bss_word (rewritten)", 0, bss_word, 0x12345678);
    }
    printf("bss: ok\n");
    return 0;
}
