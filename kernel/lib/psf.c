/*
 * PSF font parser.
 *
 * PSF1 (the Linux kbd format): magic 0x36 0x04, a mode byte (bit 0: 512 glyphs, bit 1: a Unicode
 * table follows, bit 2: it holds sequences), the glyph height, then the glyphs, 8 pixels wide. Its
 * Unicode table gives each glyph in turn a list of little-endian u16 characters ending in 0xffff,
 * where 0xfffe starts sequences of combining characters.
 *
 * PSF2: magic 72 b5 4a 86, then u32 version, header size, flags (bit 0: a Unicode table follows),
 * glyph count, bytes per glyph, height and width; the glyphs start at the header size. Its table
 * gives each glyph UTF-8 characters ending in 0xff, where 0xfe starts sequences.
 *
 * Every size is checked against the bytes there are before anything is read through it.
 */
#include <lib/psf.h>

#include <lib/bytes.h>
#include <lib/format.h>
#include <lib/string.h>

#include <stdbool.h>

#define PSF1_HEADER_SIZE 4u
#define PSF1_MODE_512    0x01u
#define PSF1_MODE_TABLE  0x02u
#define PSF1_END         0xffffu
#define PSF1_SEQUENCE    0xfffeu

#define PSF2_HEADER_SIZE 32u
#define PSF2_FLAG_TABLE  0x01u
#define PSF2_END         0xffu
#define PSF2_SEQUENCE    0xfeu

#define NO_GLYPH 0xffffu

static int fail(struct psf_font *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct psf_font *out, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_vsnprintf(out->error, PSF_ERROR_SIZE, fmt, args);
    va_end(args);
    return -1;
}

static void map_character(struct psf_font *out, uint32_t c, uint32_t glyph)
{
    if (c < PSF_MAP_SIZE && out->map[c] == NO_GLYPH) {
        out->map[c] = (uint16_t)glyph;
    }
}

/* The PSF1 table: u16 characters per glyph; what lies past the end of the data is not read. */
static void read_psf1_table(const uint8_t *table, size_t size, struct psf_font *out)
{
    size_t off = 0;
    for (uint32_t glyph = 0; glyph < out->glyph_count; glyph++) {
        bool in_sequence = false;
        for (;;) {
            if (size - off < 2) {
                return;
            }
            uint32_t c = read_le16(table + off);
            off += 2;
            if (c == PSF1_END) {
                break;
            }
            if (c == PSF1_SEQUENCE) {
                in_sequence = true;
            } else if (!in_sequence) {
                map_character(out, c, glyph);
            }
        }
    }
}

/* The PSF2 table: UTF-8 per glyph. Only characters below 256 matter here: one byte below 0x80,
 * or a lead byte 0xc2/0xc3 and one continuation byte; every other byte is stepped over. */
static void read_psf2_table(const uint8_t *table, size_t size, struct psf_font *out)
{
    size_t off = 0;
    for (uint32_t glyph = 0; glyph < out->glyph_count; glyph++) {
        bool in_sequence = false;
        for (;;) {
            if (off >= size) {
                return;
            }
            uint8_t b = table[off++];
            if (b == PSF2_END) {
                break;
            }
            if (b == PSF2_SEQUENCE) {
                in_sequence = true;
            } else if (in_sequence) {
                continue;
            } else if (b < 0x80) {
                map_character(out, b, glyph);
            } else if ((b == 0xc2 || b == 0xc3) && off < size && (table[off] & 0xc0) == 0x80) {
                map_character(out, (uint32_t)(b & 0x1f) << 6 | (table[off] & 0x3f), glyph);
                off++;
            }
        }
    }
}

static int parse_psf1(const uint8_t *data, size_t size, struct psf_font *out, size_t *end)
{
    if (size < PSF1_HEADER_SIZE) {
        return fail(out, "PSF1 header needs %u bytes, %u given", PSF1_HEADER_SIZE, (unsigned)size);
    }
    out->version = 1;
    out->glyph_count = (data[2] & PSF1_MODE_512) ? 512 : 256;
    out->height = data[3];
    out->width = 8;
    out->bytes_per_row = 1;
    out->bytes_per_glyph = out->height;
    out->glyphs = data + PSF1_HEADER_SIZE;
    *end = PSF1_HEADER_SIZE + (size_t)out->glyph_count * out->bytes_per_glyph;
    return 0;
}

static int parse_psf2(const uint8_t *data, size_t size, struct psf_font *out, size_t *end)
{
    if (size < PSF2_HEADER_SIZE) {
        return fail(out, "PSF2 header needs %u bytes, %u given", PSF2_HEADER_SIZE, (unsigned)size);
    }
    uint32_t header_size = read_le32(data + 8);
    out->version = 2;
    out->glyph_count = read_le32(data + 16);
    out->bytes_per_glyph = read_le32(data + 20);
    out->height = read_le32(data + 24);
    out->width = read_le32(data + 28);
    if (read_le32(data + 4) != 0) {
        return fail(out, "PSF2 version %u is unknown", read_le32(data + 4));
    }
    if (header_size < PSF2_HEADER_SIZE || header_size > size) {
        return fail(out, "PSF2 header size %u is outside 32..%u", header_size, (unsigned)size);
    }
    if (out->width == 0 || out->width > PSF_MAX_WIDTH) {
        return fail(out, "glyph width %u is outside 1..%u", out->width, PSF_MAX_WIDTH);
    }
    out->bytes_per_row = (out->width + 7) / 8;
    if (out->height != 0 && out->bytes_per_glyph != out->bytes_per_row * out->height) {
        return fail(out, "%u bytes per glyph do not hold %ux%u pixels", out->bytes_per_glyph,
                    out->width, out->height);
    }
    out->glyphs = data + header_size;
    /* 64-bit arithmetic: a huge count times a huge glyph size cannot wrap around. */
    uint64_t glyph_bytes = (uint64_t)out->glyph_count * out->bytes_per_glyph;
    if (glyph_bytes > size - header_size) {
        return fail(out, "%u glyphs of %u bytes run past the end of %u bytes", out->glyph_count,
                    out->bytes_per_glyph, (unsigned)size);
    }
    *end = header_size + (size_t)glyph_bytes;
    return 0;
}

int psf_parse(const void *data, size_t size, struct psf_font *out)
{
    const uint8_t *bytes = data;
    memset(out, 0, sizeof(*out));
    size_t end = 0;
    bool has_table;
    int ret;
    if (size >= 2 && bytes[0] == 0x36 && bytes[1] == 0x04) {
        ret = parse_psf1(bytes, size, out, &end);
        has_table = ret == 0 && (bytes[2] & PSF1_MODE_TABLE);
    } else if (size >= 4 && read_le32(bytes) == 0x864ab572u) {
        ret = parse_psf2(bytes, size, out, &end);
        has_table = ret == 0 && (read_le32(bytes + 12) & PSF2_FLAG_TABLE);
    } else {
        return fail(out, "not a PSF font (bad magic)");
    }
    if (ret != 0) {
        return ret;
    }
    if (out->height == 0 || out->height > PSF_MAX_HEIGHT) {
        return fail(out, "glyph height %u is outside 1..%u", out->height, PSF_MAX_HEIGHT);
    }
    if (out->glyph_count == 0) {
        return fail(out, "the font has no glyphs");
    }
    if (end > size) {
        return fail(out, "%u glyphs of %u bytes run past the end of %u bytes", out->glyph_count,
                    out->bytes_per_glyph, (unsigned)size);
    }

    for (uint32_t c = 0; c < PSF_MAP_SIZE; c++) {
        out->map[c] = NO_GLYPH;
    }
    if (has_table && out->version == 1) {
        read_psf1_table(bytes + end, size - end, out);
    } else if (has_table) {
        read_psf2_table(bytes + end, size - end, out);
    } else {
        for (uint32_t c = 0; c < PSF_MAP_SIZE && c < out->glyph_count; c++) {
            out->map[c] = (uint16_t)c;
        }
    }
    uint16_t fallback = out->map['?'] != NO_GLYPH ? out->map['?'] : 0;
    for (uint32_t c = 0; c < PSF_MAP_SIZE; c++) {
        if (out->map[c] == NO_GLYPH) {
            out->map[c] = fallback;
        }
    }
    return 0;
}

const uint8_t *psf_glyph(const struct psf_font *font, uint8_t c)
{
    return font->glyphs + (size_t)font->map[c] * font->bytes_per_glyph;
}
