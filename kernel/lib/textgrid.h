#pragma once
/*
 * A grid of character cells with a cursor: how a text console moves through its screen, shared
 * by the VGA text screen and the framebuffer console. The console draws; the grid decides where.
 *
 * Pure C: no hardware and no globals (tests/host/test_textgrid.py).
 */

struct text_grid {
    unsigned rows;
    unsigned columns;
    unsigned row; /* the cursor: the cell the next character goes to */
    unsigned column;
    void *ctx; /* handed to put and scroll */
    /* Draws c in the cell at row, column. */
    void (*put)(void *ctx, unsigned row, unsigned column, char c);
    /* Moves every row of cells up by one and blanks the last row. */
    void (*scroll)(void *ctx);
};

/*
 * Writes c at the cursor and moves the cursor on: "\n" starts the next line, "\r" returns to
 * column 0, "\b" steps back and blanks that cell (not past column 0), "\t" blanks up to the next
 * multiple of 8; any other byte is drawn. A full last line scrolls the grid. grid must have at
 * least one row and one column, with the cursor inside.
 */
void text_grid_putc(struct text_grid *grid, char c);
