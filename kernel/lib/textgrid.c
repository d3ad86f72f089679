/*
 * The cursor's movement through a text grid, as a terminal without escape sequences moves it
 * (the VGA text console's rules from the start).
 */
#include <lib/textgrid.h>

#define TAB_WIDTH 8

static void new_line(struct text_grid *grid)
{
    grid->column = 0;
    if (++grid->row == grid->rows) {
        grid->scroll(grid->ctx);
        grid->row = grid->rows - 1;
    }
}

void text_grid_putc(struct text_grid *grid, char c)
{
    switch (c) {
    case '\n':
        new_line(grid);
        break;
    case '\r':
        grid->column = 0;
        break;
    case '\b':
        if (grid->column > 0) {
            grid->column--;
            grid->put(grid->ctx, grid->row, grid->column, ' ');
        }
        break;
    case '\t':
        do {
            text_grid_putc(grid, ' ');
        } while (grid->column % TAB_WIDTH != 0);
        break;
    default:
        grid->put(grid->ctx, grid->row, grid->column, c);
        if (++grid->column == grid->columns) {
            new_line(grid);
        }
        break;
    }
}
