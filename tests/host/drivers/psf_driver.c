/*
 * Host driver for lib/psf.c, run by tests/host/test_psf.py through hostdriver.py.
 *
 * Persistent: it answers requests on stdin until EOF (then exits 0). Every request is
 *
 *     u8 mode 'P', u32 length L (little-endian), then L bytes: a font file
 *
 * and the answer, some lines ending with a line ".":
 *
 *     status ok                            or   status error TEXT
 *     font VERSION WIDTH HEIGHT GLYPHS BYTES_PER_GLYPH BYTES_PER_ROW     (when ok)
 *     map G0 G1 ... G255                   the glyph for each character 0..255 (when ok)
 *
 * psf_parse gets a malloc'd copy of exactly L bytes, and the driver reads every byte of the
 * glyph psf_glyph returns for each of the 256 characters, so AddressSanitizer catches a glyph
 * that runs past the end of the font. It also checks that the glyph pointers agree with the map
 * and that the error text is NUL-terminated and empty exactly when psf_parse returns 0.
 */
#include <lib/psf.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRIVER_NAME "psf_driver"
#include "driver_io.h"

static void parse(const uint8_t *buf, size_t size)
{
    static struct psf_font font;
    memset(&font, FILL, sizeof(font));
    int ret = psf_parse(buf, size, &font);
    if (memchr(font.error, 0, PSF_ERROR_SIZE) == NULL) {
        die("error is not NUL-terminated");
    }
    if (ret != 0 && ret != -1) {
        die("psf_parse returned neither 0 nor -1");
    }
    if ((ret == 0) != (font.error[0] == '\0')) {
        die("return value and error text disagree");
    }
    if (ret != 0) {
        print_escaped("status error", font.error);
        return;
    }
    printf("status ok\n");
    printf("font %u %u %u %u %u %u\n", font.version, font.width, font.height, font.glyph_count,
           font.bytes_per_glyph, font.bytes_per_row);
    unsigned sum = 0;
    printf("map");
    for (unsigned c = 0; c < PSF_MAP_SIZE; c++) {
        if (font.map[c] >= font.glyph_count) {
            die_fmt("character %u maps to glyph %u of %u", c, font.map[c], font.glyph_count);
        }
        const uint8_t *glyph = psf_glyph(&font, (uint8_t)c);
        if (glyph != font.glyphs + (size_t)font.map[c] * font.bytes_per_glyph) {
            die_fmt("psf_glyph(%u) disagrees with the map", c);
        }
        for (unsigned i = 0; i < font.bytes_per_row * font.height; i++) {
            sum += glyph[i]; /* AddressSanitizer checks each read */
        }
        printf(" %u", font.map[c]);
    }
    printf("\n");
    (void)sum;
}

static void answer(const struct driver_request *req)
{
    if (req->mode != 'P') {
        die("unknown request mode");
    }
    uint8_t *buf = copy_exact(req->payload, req->length);
    parse(buf, req->length);
    free(buf);
}

int main(void)
{
    return serve_requests(answer);
}
