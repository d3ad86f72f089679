/* An ordinary C program: nothing here knows about Ringlet. Built against musl (`./ringlet cc`)
 * and glibc (`gcc -m32 -static`); prints its arguments, a sum it computes and a float through
 * the libc's printf. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long sum = 0;
    for (int i = 1; i < argc; i++) {
        sum += strtol(argv[i], NULL, 10);
    }
    printf("hello: %d arguments, sum %ld, mean %.2f\n", argc - 1, sum,
           argc > 1 ? (double)sum / (argc - 1) : 0.0);
    return 0;
}
