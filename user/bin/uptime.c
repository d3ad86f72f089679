/* uptime: the time since boot from CLOCK_MONOTONIC, to the hundredth: "up 12.34 s". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        printf("uptime: clock_gettime: %s\n", strerror(errno));
        return 1;
    }
    printf("up %d.%02d s\n", (int)now.tv_sec, (int)(now.tv_nsec / 10000000));
    return 0;
}
