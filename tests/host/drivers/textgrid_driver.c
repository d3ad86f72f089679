/*
 * Host driver for lib/textgrid.c, run by tests/host/test_textgrid.py through hostdriver.py.
 *
 * Persistent: one request a line on stdin, one answer a line on stdout, until EOF (exit 0).
 *
 *     ROWS COLUMNS xTEXT   -> ROW COLUMN SCROLLS xCELLS
 *
 * A grid of ROWS x COLUMNS cells, all ' ', gets every byte of TEXT through text_grid_putc; the
 * answer is the cursor, how many times the grid scrolled, and the cells row by row. The driver
 * aborts when the grid draws outside itself or leaves the cursor outside.
 */
#include <lib/textgrid.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DRIVER_NAME "textgrid_driver"
#include "driver_io.h"

#define LINE_MAX_SIZE 65536

struct screen {
    unsigned rows, columns;
    char *cells;
    unsigned scrolls;
};

static void put(void *ctx, unsigned row, unsigned column, char c)
{
    struct screen *s = ctx;
    if (row >= s->rows || column >= s->columns) {
        die_fmt("put outside the grid: row %u column %u", row, column);
    }
    s->cells[row * s->columns + column] = c;
}

static void scroll(void *ctx)
{
    struct screen *s = ctx;
    memmove(s->cells, s->cells + s->columns, (size_t)(s->rows - 1) * s->columns);
    memset(s->cells + (size_t)(s->rows - 1) * s->columns, ' ', s->columns);
    s->scrolls++;
}

static unsigned dimension(const char *word)
{
    char *end;
    long v = word ? strtol(word, &end, 10) : 0;
    if (word == NULL || *end != '\0' || v < 1 || v > 1000) {
        die_detail("bad dimension", word);
    }
    return (unsigned)v;
}

static void handle(char *line)
{
    char *words[3];
    if (split_request(line, words, 3) != 3) {
        die("expected ROWS COLUMNS xTEXT");
    }
    struct screen s = { dimension(words[0]), dimension(words[1]), NULL, 0 };
    size_t len;
    char *text = decode_xhex(words[2], &len, 0);
    s.cells = alloc_exact((size_t)s.rows * s.columns, 1);
    memset(s.cells, ' ', (size_t)s.rows * s.columns);
    struct text_grid grid = { s.rows, s.columns, 0, 0, &s, put, scroll };
    for (size_t i = 0; i < len; i++) {
        text_grid_putc(&grid, text[i]);
        if (grid.row >= s.rows || grid.column >= s.columns) {
            die_fmt("cursor outside the grid: row %u column %u", grid.row, grid.column);
        }
    }
    printf("%u %u %u ", grid.row, grid.column, s.scrolls);
    print_xhex(s.cells, (size_t)s.rows * s.columns);
    printf("\n");
    free(s.cells);
    free(text);
}

int main(void)
{
    static char line[LINE_MAX_SIZE];
    return serve_lines(line, sizeof(line), handle);
}
