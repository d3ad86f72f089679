/*
 * The framebuffer console. The screen is a grid of character cells, each font.width by
 * font.height pixels, through which lib/textgrid.c moves the cursor as it does for VGA text. A
 * copy of the characters (cells[]) lets the cursor, an underline drawn in the cell it stands
 * on, be taken away again by redrawing that cell. Scrolling moves the pixel rows up by one
 * cell's height and clears the last row of cells, as Linux's fbcon does with copyarea. Colours
 * are VGA's: light grey on black.
 */
#include "fbcon.h"

#include <lib/psf.h>
#include <lib/string.h>
#include <lib/textgrid.h>

#include <stdint.h>

#define MAX_COLUMNS  256
#define MAX_ROWS     160
#define CURSOR_LINES 2 /* the cursor: the cell's bottom two pixel rows */
#define GREY         0xaa

extern const uint8_t console_font[];
extern const uint8_t console_font_end[];

static struct psf_font font;
static uint8_t *base;
static uint32_t pitch;
static unsigned bytes_per_pixel;
static unsigned screen_width; /* pixels: the screen may be wider than the character grid */
static uint32_t foreground, background;
static char cells[MAX_ROWS][MAX_COLUMNS];

static uint32_t channel(uint8_t value, struct bootinfo_colour_field field)
{
    if (field.size == 0 || field.size > 8 || field.position >= 32) {
        return 0;
    }
    return (uint32_t)(value >> (8 - field.size)) << field.position;
}

/* Device memory: every store must reach it, in order. */
static void put_pixel(uint8_t *row, unsigned x, uint32_t colour)
{
    volatile uint8_t *p = row + x * bytes_per_pixel;
    switch (bytes_per_pixel) {
    case 4:
        *(volatile uint32_t *)p = colour;
        break;
    case 3:
        p[0] = (uint8_t)colour;
        p[1] = (uint8_t)(colour >> 8);
        p[2] = (uint8_t)(colour >> 16);
        break;
    default:
        *(volatile uint16_t *)p = (uint16_t)colour;
        break;
    }
}

static uint8_t *cell_origin(unsigned row, unsigned column)
{
    return base + (row * font.height) * pitch + column * font.width * bytes_per_pixel;
}

static void draw_cell(unsigned row, unsigned column, bool with_cursor)
{
    const uint8_t *glyph = psf_glyph(&font, (uint8_t)cells[row][column]);
    uint8_t *line = cell_origin(row, column);
    for (unsigned y = 0; y < font.height; y++, line += pitch, glyph += font.bytes_per_row) {
        bool cursor_line = with_cursor && y >= font.height - CURSOR_LINES;
        for (unsigned x = 0; x < font.width; x++) {
            bool lit = cursor_line || (glyph[x / 8] & (0x80u >> (x % 8)));
            put_pixel(line, x, lit ? foreground : background);
        }
    }
}

static void put_cell(void *ctx, unsigned row, unsigned column, char c)
{
    (void)ctx;
    cells[row][column] = c;
    draw_cell(row, column, false);
}

/* Fills pixel rows [first, first + count) with the background colour. */
static void clear_pixel_rows(unsigned first, unsigned count)
{
    uint8_t *line = base + first * pitch;
    for (unsigned y = 0; y < count; y++, line += pitch) {
        for (unsigned x = 0; x < screen_width; x++) {
            put_pixel(line, x, background);
        }
    }
}

static void scroll_one_line(void *ctx);

static struct text_grid grid = { .put = put_cell, .scroll = scroll_one_line };

static void scroll_one_line(void *ctx)
{
    (void)ctx;
    unsigned rows = grid.rows;
    uint32_t cell_bytes = font.height * pitch;
    uint32_t count = (rows - 1) * cell_bytes / 4;
    void *dst = base;
    const void *src = base + cell_bytes;
    __asm__ volatile("cld; rep movsl" : "+D"(dst), "+S"(src), "+c"(count) : : "memory");
    memmove(cells[0], cells[1], sizeof(cells[0]) * (rows - 1));
    memset(cells[rows - 1], ' ', sizeof(cells[0]));
    clear_pixel_rows((rows - 1) * font.height, font.height);
}

bool fbcon_init(const struct bootinfo_framebuffer *fb, void *pixels, const char **why)
{
    if (psf_parse(console_font, (size_t)(console_font_end - console_font), &font) != 0) {
        *why = "the built-in font does not parse";
        return false;
    }
    if (fb->type != FRAMEBUFFER_RGB) {
        *why = "not a direct-colour (RGB) framebuffer";
        return false;
    }
    if (fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32) {
        *why = "pixels are not 16, 24 or 32 bits";
        return false;
    }
    bytes_per_pixel = fb->bpp / 8;
    if (fb->pitch % 4 != 0 || fb->pitch < fb->width * bytes_per_pixel) {
        *why = "the pitch does not hold a row of pixels in whole words";
        return false;
    }
    unsigned columns = fb->width / font.width;
    unsigned rows = fb->height / font.height;
    if (columns == 0 || rows == 0) {
        *why = "the screen is smaller than one character";
        return false;
    }
    grid.columns = columns < MAX_COLUMNS ? columns : MAX_COLUMNS;
    grid.rows = rows < MAX_ROWS ? rows : MAX_ROWS;
    base = pixels;
    pitch = fb->pitch;
    screen_width = fb->width;
    foreground = channel(GREY, fb->red) | channel(GREY, fb->green) | channel(GREY, fb->blue);
    background = 0;
    memset(cells, ' ', sizeof(cells));
    clear_pixel_rows(0, fb->height);
    grid.row = 0;
    grid.column = 0;
    draw_cell(0, 0, true);
    return true;
}

void fbcon_geometry(unsigned *columns_out, unsigned *rows_out, unsigned *font_width,
                    unsigned *font_height)
{
    *columns_out = grid.columns;
    *rows_out = grid.rows;
    *font_width = font.width;
    *font_height = font.height;
}

void fbcon_putc(char c)
{
    if (base == NULL) {
        return;
    }
    draw_cell(grid.row, grid.column, false); /* take the cursor away */
    text_grid_putc(&grid, c);
    draw_cell(grid.row, grid.column, true);
}
