/* The auxiliary vector as a libc reads it (getauxval, sysconf): the values Linux gives a
 * static i386 program. Prints them; "auxv: ok" when each is what Linux would give. */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    (void)argc;
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    unsigned long hwcap = getauxval(AT_HWCAP);
    long ticks = sysconf(_SC_CLK_TCK);
    long page = sysconf(_SC_PAGESIZE);
    const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
    int random_nonzero = 0;
    for (int i = 0; random && i < 16; i++) {
        random_nonzero |= random[i];
    }
    printf("auxv: platform %s, execfn %s, clock ticks %ld, page %ld\n", platform ? platform : "?",
           execfn ? execfn : "?", ticks, page);
    /* glibc rewrites AT_HWCAP into its own bits, where only bit 0 keeps CPUID's meaning. */
    printf("auxv: hwcap has fpu %s; uid %lu secure %lu; random bytes %s\n",
           (hwcap & 1) ? "yes" : "no", getauxval(AT_UID), getauxval(AT_SECURE),
           random_nonzero ? "present" : "missing");
    int ok = platform && strcmp(platform, "i686") == 0 && execfn &&
             strcmp(execfn, argv[1] ? argv[1] : "") == 0 && ticks == 100 && page == 4096 &&
             (hwcap & 1) && random_nonzero && getauxval(AT_SECURE) == 0;
    printf(ok ? "auxv: ok\n" : "auxv: FAIL\n");
    return !ok;
}
