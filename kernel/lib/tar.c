/*
 * ustar reader. A header is one 512-byte block: name[100] at 0, size (octal) at 124, checksum
 * (octal) at 148, type flag at 156, "ustar" magic at 257, prefix[155] at 345. File data follows
 * in whole blocks. Two zero blocks end the archive.
 */
#include <lib/tar.h>

#include <lib/format.h>
#include <lib/string.h>

#include <stdbool.h>

#define BLOCK 512u

void tar_iter_init(struct tar_iter *it, const void *archive, size_t size)
{
    it->archive = archive;
    it->size = size;
    it->offset = 0;
    it->error[0] = '\0';
}

static int bad(struct tar_iter *it, const char *what)
{
    format_snprintf(it->error, TAR_ERROR_SIZE, "bad tar header at offset %u: %s",
                    (unsigned)it->offset, what);
    it->offset = it->size; /* stop here */
    return -1;
}

/* Reads an octal field (spaces and NULs may pad it). False when it holds anything else. */
static bool read_octal(const uint8_t *field, size_t length, uint64_t *value)
{
    size_t i = 0;
    *value = 0;
    while (i < length && field[i] == ' ') {
        i++;
    }
    bool digits = false;
    for (; i < length && field[i] >= '0' && field[i] <= '7'; i++) {
        *value = *value * 8 + (uint64_t)(field[i] - '0');
        digits = true;
        if (*value > 0xffffffffu) {
            return false;
        }
    }
    for (; i < length; i++) {
        if (field[i] != ' ' && field[i] != '\0') {
            return false;
        }
    }
    return digits;
}

static bool all_zero(const uint8_t *block)
{
    for (unsigned i = 0; i < BLOCK; i++) {
        if (block[i]) {
            return false;
        }
    }
    return true;
}

/* Appends src (up to max bytes, stopping at NUL) to out at *used; false when it does not fit. */
static bool append(char *out, size_t *used, const uint8_t *src, size_t max)
{
    for (size_t i = 0; i < max && src[i]; i++) {
        if (*used + 1 >= TAR_PATH_MAX) {
            return false;
        }
        out[(*used)++] = (char)src[i];
    }
    out[*used] = '\0';
    return true;
}

/* Drops leading "./" and trailing "/" from a path that starts with '/'; returns its length. */
static size_t normalize(char *p)
{
    while (p[1] == '.' && p[2] == '/') {
        memmove(p + 1, p + 3, strlen(p + 3) + 1);
    }
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/') {
        p[--len] = '\0';
    }
    return len;
}

int tar_next(struct tar_iter *it, struct tar_entry *out)
{
    for (;;) {
        if (it->size - it->offset < BLOCK) {
            return 0; /* the end of the data (a trailing partial block is ignored) */
        }
        const uint8_t *h = it->archive + it->offset;
        if (all_zero(h)) {
            return 0;
        }
        uint64_t checksum;
        if (!read_octal(h + 148, 8, &checksum)) {
            return bad(it, "checksum field is not a number");
        }
        uint64_t sum = 0;
        for (unsigned i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : h[i];
        }
        if (sum != checksum) {
            return bad(it, "checksum mismatch");
        }
        if (memcmp(h + 257, "ustar", 5) != 0) {
            return bad(it, "not a ustar header");
        }
        uint64_t size;
        if (!read_octal(h + 124, 12, &size)) {
            return bad(it, "size field is not a number");
        }
        size_t data_offset = it->offset + BLOCK;
        if (size > it->size - data_offset) {
            return bad(it, "file data past the end of the archive");
        }
        size_t blocks = (size_t)((size + BLOCK - 1) / BLOCK);
        size_t next = data_offset + blocks * BLOCK;
        char type = (char)h[156];

        /* The path: "/" + prefix + "/" + name, without "./" and trailing "/". */
        size_t used = 0;
        out->path[used++] = '/';
        out->path[used] = '\0';
        if (h[345] && (!append(out->path, &used, h + 345, 155) ||
                       !append(out->path, &used, (const uint8_t *)"/", 1))) {
            return bad(it, "path too long");
        }
        if (!append(out->path, &used, h, 100)) {
            return bad(it, "path too long");
        }
        it->offset = next > it->size ? it->size : next;

        size_t len = normalize(out->path);
        if (type == '\0') {
            type = '0';
        }
        if (type != '0' && type != '5' && type != '1' && type != '2') {
            continue; /* devices, FIFOs, GNU long names: not part of Ringlet's tree */
        }
        out->link[0] = '\0';
        if (type == '2') {
            size_t n = strnlen((const char *)h + 157, 100);
            if (n == 0) {
                return bad(it, "symbolic link without a target");
            }
            memcpy(out->link, h + 157, n);
            out->link[n] = '\0';
            size = 0;
        }
        if (type == '1') {
            size_t link_used = 0;
            out->link[link_used++] = '/';
            out->link[link_used] = '\0';
            if (!append(out->link, &link_used, h + 157, 100)) {
                return bad(it, "link target too long");
            }
            if (normalize(out->link) == 1) {
                return bad(it, "hard link without a target");
            }
            size = 0; /* the data is the target's */
        }
        if (len == 1 || strcmp(out->path, "/.") == 0) {
            continue; /* the archive's root itself */
        }
        uint64_t mode, uid, gid, mtime;
        out->mode = read_octal(h + 100, 8, &mode) ? (uint32_t)mode & 07777 : 0644;
        out->uid = read_octal(h + 108, 8, &uid) ? (uint32_t)uid : 0;
        out->gid = read_octal(h + 116, 8, &gid) ? (uint32_t)gid : 0;
        out->mtime = read_octal(h + 136, 12, &mtime) ? (uint32_t)mtime : 0;
        out->type = type;
        out->data = h + BLOCK;
        out->size = type == '0' ? (uint32_t)size : 0;
        return 1;
    }
}
