/*
 * Reads /proc/self/status after umask(075) and prints its Umask and State lines. The system-call
 * fuzzer found that this read panicked the kernel: the Umask line was formatted with %04o, which
 * the kernel's formatter did not know, so the umask was taken as the State line's string pointer.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    umask(075);
    int fd = open("/proc/self/status", O_RDONLY, 0);
    char text[2048];
    long n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
    if (n <= 0) {
        printf("proc_status: cannot read /proc/self/status\n");
        return 1;
    }
    text[n] = 0;
    char *save;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "Umask:", 6) == 0 || strncmp(line, "State:", 6) == 0) {
            printf("proc_status: %s\n", line);
        }
    }
    return 0;
}
