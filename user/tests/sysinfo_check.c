/*
 * sysinfo and uname as a program sees them: the uname fields, the memory and process counts,
 * and the stubs' error path (-1 with errno) for a bad pointer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

static int failures;

static void check_field(const char *name, const char *value)
{
    if (strnlen(value, UTSNAME_LENGTH) == UTSNAME_LENGTH) {
        printf("sysinfo: FAIL uname %s is not NUL-terminated\n", name);
        failures++;
    }
}

int main(void)
{
    struct utsname u;
    memset(&u, 0xff, sizeof(u));
    if (uname(&u) != 0) {
        printf("sysinfo: FAIL uname returned -1, errno %d\n", errno);
        return 1;
    }
    check_field("sysname", u.sysname);
    check_field("nodename", u.nodename);
    check_field("release", u.release);
    check_field("version", u.version);
    check_field("machine", u.machine);
    check_field("domainname", u.domainname);
    if (failures != 0) {
        return 1;
    }
    printf("uname: %s %s %s %s %s\n", u.sysname, u.nodename, u.release, u.version, u.machine);
    if (strcmp(u.sysname, "Ringlet") != 0) {
        printf("sysinfo: FAIL sysname is \"%s\", want \"Ringlet\"\n", u.sysname);
        failures++;
    }

    struct sysinfo info;
    memset(&info, 0xff, sizeof(info));
    if (sysinfo(&info) != 0) {
        printf("sysinfo: FAIL sysinfo returned -1, errno %d\n", errno);
        return 1;
    }
    printf("sysinfo: uptime %d s, totalram %u, freeram %u, mem_unit %u\n", (int)info.uptime,
           (unsigned)info.totalram, (unsigned)info.freeram, (unsigned)info.mem_unit);
    printf("sysinfo: procs %u\n", (unsigned)info.procs);
    if (info.mem_unit == 0 || info.freeram == 0 || info.totalram < info.freeram) {
        printf("sysinfo: FAIL want totalram >= freeram > 0 and mem_unit > 0\n");
        failures++;
    }
    if (info.procs == 0) {
        printf("sysinfo: FAIL procs is 0, but this process exists\n");
        failures++;
    }

    /* The stub turns the kernel's -EFAULT into -1 and errno. */
    errno = 0;
    int r = sysinfo(NULL);
    if (r != -1 || errno != EFAULT) {
        printf("sysinfo: FAIL sysinfo(NULL) = %d errno %d, want -1 errno %d\n", r, errno, EFAULT);
        failures++;
    }

    if (failures == 0) {
        printf("sysinfo: ok\n");
    }
    return failures == 0 ? 0 : 1;
}
