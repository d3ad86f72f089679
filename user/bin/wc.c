/*
 * wc [-l] [-w] [-c] [FILE...]: counts lines (newlines), words (runs of characters that are not
 * spaces, tabs or newlines) and bytes of each file, or of stdin. The format is fixed, each
 * count 7 wide, always in the order lines, words, bytes:
 *
 *     "%7d %7d %7d\n"            for stdin
 *     "%7d %7d %7d NAME\n"       for each file, and a "total" line when there are several
 *
 * -l, -w and -c (combinable, as in -lw) print only those counts.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_SIZE 4096

struct counts {
    unsigned long lines;
    unsigned long words;
    unsigned long bytes;
};

static char buffer[BUFFER_SIZE];

/* Which counts to print; all three unless an option chose some. */
static bool show_lines = true;
static bool show_words = true;
static bool show_bytes = true;

/* Adds fd's counts to *c. False on a read error (reported). */
static bool count(int fd, const char *name, struct counts *c)
{
    bool in_word = false;
    for (;;) {
        long n = read(fd, buffer, sizeof(buffer));
        if (n == 0) {
            return true;
        }
        if (n < 0) {
            dprintf(STDERR_FILENO, "wc: %s: %s\n", name, strerror(errno));
            return false;
        }
        c->bytes += (unsigned long)n;
        for (long i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buffer[i];
            if (ch == '\n') {
                c->lines++;
            }
            if (isspace(ch)) {
                in_word = false;
            } else if (!in_word) {
                in_word = true;
                c->words++;
            }
        }
    }
}

/* Appends " %7lu" (without the space for the first field) to line. */
static void add_field(char *line, size_t size, unsigned long value)
{
    size_t used = strlen(line);
    snprintf(line + used, size - used, "%s%7lu", used > 0 ? " " : "", value);
}

static void print_counts(const struct counts *c, const char *name)
{
    char line[64] = "";
    if (show_lines) {
        add_field(line, sizeof(line), c->lines);
    }
    if (show_words) {
        add_field(line, sizeof(line), c->words);
    }
    if (show_bytes) {
        add_field(line, sizeof(line), c->bytes);
    }
    if (name != NULL) {
        printf("%s %s\n", line, name);
    } else {
        printf("%s\n", line);
    }
}

/* Reads the options from argv; returns the index of the first file, or -1 on a bad option. */
static int parse_options(int argc, char **argv)
{
    int first = 1;
    bool chosen = false;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        if (!chosen) {
            show_lines = show_words = show_bytes = false;
            chosen = true;
        }
        for (const char *flag = argv[first] + 1; *flag != '\0'; flag++) {
            if (*flag == 'l') {
                show_lines = true;
            } else if (*flag == 'w') {
                show_words = true;
            } else if (*flag == 'c') {
                show_bytes = true;
            } else {
                return -1;
            }
        }
    }
    return first;
}

int main(int argc, char **argv)
{
    int first = parse_options(argc, argv);
    if (first < 0) {
        dprintf(STDERR_FILENO, "usage: wc [-l] [-w] [-c] [FILE...]\n");
        return 2;
    }
    if (first == argc) {
        struct counts c = { 0, 0, 0 };
        bool ok = count(STDIN_FILENO, "stdin", &c);
        print_counts(&c, NULL);
        return ok ? 0 : 1;
    }
    struct counts total = { 0, 0, 0 };
    int status = 0;
    for (int i = first; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY, 0);
        if (fd < 0) {
            dprintf(STDERR_FILENO, "wc: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        struct counts c = { 0, 0, 0 };
        if (!count(fd, argv[i], &c)) {
            status = 1;
        }
        close(fd);
        print_counts(&c, argv[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (argc - first > 1) {
        print_counts(&total, "total");
    }
    return status;
}
