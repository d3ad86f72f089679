/*
 * poweroff: stops the machine with reboot(2)'s power-off command. The kernel prints
 * "ringlet: power off (asked by pid N, poweroff)" and QEMU exits. Returns only on failure.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>

int main(void)
{
    reboot(REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF, NULL);
    printf("poweroff: %s\n", strerror(errno));
    return 1;
}
