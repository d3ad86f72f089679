/*
 * Meant to run as a flat binary: the kernel maps flat.flat at 0x04000000 and jumps to its first
 * byte, which user/user.ld guarantees is crt0's _start. Nothing here reads the auxiliary vector
 * (a flat binary has no ELF headers to describe); the checks show that .data and the zeroed
 * .bss came along in the image.
 */
#include <stdio.h>

int flat_data = 1234;
int flat_bss;

int main(void)
{
    if (flat_data != 1234 || flat_bss != 0) {
        printf("flat: FAIL data %d bss %d\n", flat_data, flat_bss);
        return 1;
    }
    printf("flat: hello from a flat binary\n");
    return 0;
}
