/*
 * Meant to run as a flat binary: looks at the rest of its last page, the bytes between the end
 * of the image (__bss_end, where the flat file ends) and the next page boundary. They are not
 * part of the program, so the kernel must show them as zeros whatever follows the program in
 * memory (the next program of a ramdisk, another module, anything):
 *
 *     flat_tail: 1234 bytes after the image, 0 not zero
 *     flat_tail: ok
 *
 * Otherwise "flat_tail: FAIL ..." with the first bytes found, and exit status 1.
 */
#include <stdio.h>

extern const volatile char __bss_end[];
extern const volatile char __user_image_end[];

int main(void)
{
    unsigned after = (unsigned)(__user_image_end - __bss_end);
    unsigned nonzero = 0;
    char first[17] = "";
    for (unsigned i = 0; i < after; i++) {
        char c = __bss_end[i];
        if (c != 0) {
            if (nonzero < sizeof(first) - 1) {
                first[nonzero] = (c >= ' ' && c <= '~') ? c : '.';
            }
            nonzero++;
        }
    }
    printf("flat_tail: %u bytes after the image, %u not zero\n", after, nonzero);
    if (nonzero != 0) {
        printf("flat_tail: FAIL the bytes after the image are not zeros: %s\n", first);
        return 1;
    }
    printf("flat_tail: ok\n");
    return 0;
}
