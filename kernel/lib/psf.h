#pragma once
/*
 * PC Screen Font (PSF) bitmap fonts, the format of the Linux console's fonts: version 1 (8 pixels
 * wide, 256 or 512 glyphs) and version 2 (any size), each with an optional Unicode table that
 * says which characters a glyph draws.
 *
 * Pure C: it takes a buffer and its size and touches nothing else (tests/host/test_psf.py).
 */
#include <stddef.h>
#include <stdint.h>

#define PSF_MAX_WIDTH  32
#define PSF_MAX_HEIGHT 64
#define PSF_ERROR_SIZE 96
#define PSF_MAP_SIZE   256 /* characters 0..255 (Latin-1) are looked up through the map */

struct psf_font {
    const uint8_t *glyphs; /* points into the font data */
    uint32_t glyph_count;
    uint32_t bytes_per_glyph;
    uint32_t bytes_per_row; /* (width + 7) / 8; the leftmost pixel is the high bit */
    uint32_t width;         /* pixels */
    uint32_t height;
    unsigned version; /* 1 or 2 */
    /* The glyph that draws each of the characters 0..255: from the Unicode table when the font
     * has one (the first glyph that names a character wins), otherwise the character's own
     * number; characters no glyph draws get the glyph of '?' (or glyph 0). */
    uint16_t map[PSF_MAP_SIZE];
    char error[PSF_ERROR_SIZE]; /* why psf_parse failed; "" when it did not */
};

/*
 * Parses the PSF1 or PSF2 font in data, of which size bytes may be read. Fills out completely;
 * out->glyphs points into data, which must outlive out. Returns 0, or -1 with out->error set
 * when the data is not a font this parser can use (bad magic, glyphs past the end, a glyph
 * larger than PSF_MAX_WIDTH x PSF_MAX_HEIGHT).
 */
int psf_parse(const void *data, size_t size, struct psf_font *out);

/* The bitmap of the glyph that draws character c (a Latin-1 byte): height rows of bytes_per_row
 * bytes. font must have been filled by a successful psf_parse. */
const uint8_t *psf_glyph(const struct psf_font *font, uint8_t c);
