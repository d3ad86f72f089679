/* The first user program: one greeting from ring 3 and the pid the kernel gave it. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("Hello from ring 3!\n");
    printf("hello: pid %d\n", getpid());
    return 0;
}
