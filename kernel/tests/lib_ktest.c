/*
 * The pure C library, run inside the kernel: the same code the host tests check, but built for
 * i686 freestanding and run on the real target.
 */
#include <ktest.h>

#include <bootinfo_report.h>
#include <lib/format.h>
#include <lib/string.h>
#include <lib/text.h>

#include <stdint.h>

static void format_handles_each_conversion(struct ktest *t)
{
    char buf[96];
    int n = format_snprintf(buf, sizeof(buf), "%d|%i|%u|%x|%X|%c|%s|%%", -42, 7, 4000000000u,
                            0xbeefu, 0xbeefu, 'r', "ing");
    KEXPECT(t, strcmp(buf, "-42|7|4000000000|beef|BEEF|r|ing|%") == 0);
    KEXPECT(t, n == (int)strlen(buf));
}

static void format_pads_and_aligns(struct ktest *t)
{
    char buf[64];
    format_snprintf(buf, sizeof(buf), "[%5d][%-5d][%05d][%08x][%-4s][%3c]", 42, 42, -42, 0xabu,
                    "ab", 'z');
    KEXPECT(t, strcmp(buf, "[   42][42   ][-0042][000000ab][ab  ][  z]") == 0);
}

static void format_prints_64_bit_numbers(struct ktest *t)
{
    char buf[64];
    format_snprintf(buf, sizeof(buf), "%llu %lld %llx", 18446744073709551615ull,
                    -9223372036854775807ll - 1, 0x123456789abcdefull);
    KEXPECT(t, strcmp(buf, "18446744073709551615 -9223372036854775808 123456789abcdef") == 0);
}

static void format_pointer_is_0x_and_8_digits(struct ktest *t)
{
    char buf[32];
    format_snprintf(buf, sizeof(buf), "%p", (void *)0xc0100000u);
    KEXPECT(t, strcmp(buf, "0xc0100000") == 0);
    format_snprintf(buf, sizeof(buf), "%p", (void *)0);
    KEXPECT(t, strcmp(buf, "0x00000000") == 0);
}

static void format_truncates_but_counts_everything(struct ktest *t)
{
    char buf[6];
    int n = format_snprintf(buf, sizeof(buf), "%s", "truncated");
    KEXPECT(t, n == 9);
    KEXPECT(t, strcmp(buf, "trunc") == 0);
}

static void string_functions_agree(struct ktest *t)
{
    char buf[16] = "abcdefgh";
    memmove(buf + 2, buf, 6);
    KEXPECT(t, memcmp(buf, "ababcdef", 8) == 0);
    KEXPECT(t, strlen("ringlet") == 7);
    KEXPECT(t, strcmp("abc", "abd") < 0);
    KEXPECT(t, strncmp("abcx", "abcy", 3) == 0);
    KEXPECT(t, strrchr("a/b/c", '/') != NULL && strrchr("a/b/c", '/')[1] == 'c');
    KEXPECT(t, strlcpy(buf, "0123456789abcdefXYZ", sizeof(buf)) == 19);
    KEXPECT(t, strlen(buf) == 15);
}

static void glob_selects_suites(struct ktest *t)
{
    KEXPECT(t, glob_match("*", "heap"));
    KEXPECT(t, glob_match("he?p", "heap"));
    KEXPECT(t, glob_match("fr*e*", "frame"));
    KEXPECT(t, !glob_match("heap", "heaps"));
    KEXPECT(t, !glob_match("p*", "heap"));
}

static void cmdline_finds_keys(struct ktest *t)
{
    char value[16];
    KEXPECT(t, cmdline_get("a=1 init=/bin/sh b", "init", value, sizeof(value)));
    KEXPECT(t, strcmp(value, "/bin/sh") == 0);
    KEXPECT(t, !cmdline_get("initrd=x", "init", value, sizeof(value)));
    KEXPECT(t, !cmdline_get("", "init", value, sizeof(value)));
}

static void grub_boot_information_was_understood(struct ktest *t)
{
    const struct boot_info *info = boot_info_get();
    KEXPECT(t, info->error[0] == '\0');
    KEXPECT(t, strncmp(info->loader_name, "GRUB", 4) == 0);
    KEXPECT(t, info->region_count >= 3);
    KEXPECT(t, bootinfo_usable_bytes(info) > 1024 * 1024);
}

KTEST_SUITE(format, KTEST_CASE(format_handles_each_conversion), KTEST_CASE(format_pads_and_aligns),
            KTEST_CASE(format_prints_64_bit_numbers), KTEST_CASE(format_pointer_is_0x_and_8_digits),
            KTEST_CASE(format_truncates_but_counts_everything));

KTEST_SUITE(text, KTEST_CASE(string_functions_agree), KTEST_CASE(glob_selects_suites),
            KTEST_CASE(cmdline_finds_keys));

KTEST_SUITE(bootinfo, KTEST_CASE(grub_boot_information_was_understood));
