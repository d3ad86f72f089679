/*
 * id_name: a linear read of /etc/passwd or /etc/group, a line at a time. The files are a few
 * lines long on Ringlet, so nothing is cached.
 */
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The line "name:x:id:..." names id: copies the name and says so. */
static bool line_names(char *line, unsigned id, char *name, size_t size)
{
    char *fields[3];
    char *p = line;
    for (int i = 0; i < 3; i++) {
        fields[i] = p;
        p = strchr(p, ':');
        if (p == NULL) {
            if (i < 2) {
                return false;
            }
            break;
        }
        *p++ = '\0';
    }
    char *end;
    unsigned long value = strtoul(fields[2], &end, 10);
    if (end == fields[2] || *end != '\0' || value != id || fields[0][0] == '\0') {
        return false;
    }
    strlcpy(name, fields[0], size);
    return true;
}

bool id_name(const char *table, unsigned id, char *name, size_t size)
{
    int fd = open(table, O_RDONLY, 0);
    if (fd < 0) {
        return false;
    }
    char buf[512];
    size_t used = 0;
    bool found = false;
    for (;;) {
        long n = read(fd, buf + used, sizeof(buf) - 1 - used);
        if (n <= 0 && used == 0) {
            break;
        }
        used += n > 0 ? (size_t)n : 0;
        buf[used] = '\0';
        char *newline = strchr(buf, '\n');
        if (newline == NULL && n > 0 && used < sizeof(buf) - 1) {
            continue; /* the rest of the line is still to come */
        }
        size_t line_length = newline ? (size_t)(newline - buf) : used;
        buf[line_length] = '\0';
        if (line_names(buf, id, name, size)) {
            found = true;
            break;
        }
        size_t consumed = newline ? line_length + 1 : used;
        memmove(buf, buf + consumed, used - consumed);
        used -= consumed;
        if (n <= 0 && used == 0) {
            break;
        }
    }
    close(fd);
    return found;
}
