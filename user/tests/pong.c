/* One half of a sched_yield ping-pong: run with ping; their lines should alternate. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 5; i++) {
        printf("pong %d\n", i);
        sched_yield();
    }
    return 0;
}
