/* Thread-local storage (the libc reaches it through %gs and the GDT entry set_thread_area gave it),
 * kept across fork and separate in parent and child, and a child's exit status through wait. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static __thread int counter = 41;
static __thread char tag[16] = "parent";

int main(void)
{
    counter++;
    printf("tls: before fork: counter %d tag %s\n", counter, tag);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        strcpy(tag, "child");
        counter += 100;
        printf("tls: in the child: counter %d tag %s\n", counter, tag);
        exit(counter % 256);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 1;
    }
    printf("tls: parent after the child: counter %d tag %s, child exit %d\n", counter, tag,
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
