/*
 * Splitting a line into jobs, commands, words and redirections (sh.c's header has the
 * grammar). Words are copied, quotes removed, into a buffer the caller owns.
 */
#include <stdlib.h>

#include "sh.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* True for a character that ends an unquoted word. */
static bool ends_word(char c)
{
    return c == '\0' || is_blank(c) || c == '|' || c == '&' || c == ';' || c == '<' || c == '>';
}

/*
 * Reads one word at *p (quotes removed) into words at *used, NUL-terminated; advances both.
 * False after saying so when a quote is not closed.
 */
static bool read_word(const char **p, char *words, size_t *used)
{
    char quote = '\0';
    while (quote != '\0' || !ends_word(**p)) {
        char c = *(*p)++;
        if (c == '\0') {
            shell_error("missing closing %c", quote);
            return false;
        }
        if (quote == '\0' && (c == '\'' || c == '"')) {
            quote = c;
            continue;
        }
        if (c == quote) {
            quote = '\0';
            continue;
        }
        if (c == '\\' && quote == '\0' && **p != '\0') {
            c = *(*p)++;
        } else if (c == '\\' && quote == '"' && (**p == '"' || **p == '\\')) {
            c = *(*p)++;
        }
        words[(*used)++] = c;
    }
    words[(*used)++] = '\0';
    return true;
}

/* The length of a redirection operator at p ("<", ">", ">>", ">&", "2>", "10>&"...), or 0. */
static size_t redirect_at(const char *p)
{
    size_t n = 0;
    while (p[n] >= '0' && p[n] <= '9') {
        n++;
    }
    if (p[n] != '<' && p[n] != '>') {
        return 0;
    }
    return n + 1 + (p[n + 1] == '&' || (p[n] == '>' && p[n + 1] == '>'));
}

/*
 * Parses the redirection at *p (redirect_at said it is one) and its target into command.
 * False after saying what is wrong.
 */
static bool parse_redirect(const char **p, struct command *command, char *words, size_t *used)
{
    if (command->redirect_count == MAX_REDIRECTS) {
        shell_error("too many redirections in one command (at most %d)", MAX_REDIRECTS);
        return false;
    }
    struct redirect *r = &command->redirects[command->redirect_count++];
    const char *op = *p + redirect_at(*p);
    char *end;
    long fd = strtol(*p, &end, 10);
    bool input = *end == '<';
    r->fd = end == *p ? !input : (int)fd;
    if (end != *p && (fd < 0 || fd > 255)) {
        shell_error("%ld: bad file descriptor", fd);
        return false;
    }
    bool doubled = op - end == 2; /* ">>", ">&", "<&" */
    r->kind = doubled && end[1] == '&' ? REDIRECT_DUP
              : doubled                ? REDIRECT_APPEND
              : input                  ? REDIRECT_IN
                                       : REDIRECT_OUT;
    *p = op;
    while (is_blank(**p)) {
        (*p)++;
    }
    if (ends_word(**p)) {
        shell_error("syntax error: no file after '%.*s'", (int)(op - end), end);
        return false;
    }
    r->target = words + *used;
    if (!read_word(p, words, used)) {
        return false;
    }
    if (r->kind == REDIRECT_DUP && (r->target[0] < '0' || r->target[0] > '9')) {
        shell_error("%s: bad file descriptor", r->target);
        return false;
    }
    return true;
}

/* Starts a new, empty job in list; false (after saying so) when the line has too many. */
static bool new_job(struct job_list *list)
{
    if (list->count == MAX_JOBS) {
        shell_error("too many commands on one line (at most %d)", MAX_JOBS);
        return false;
    }
    struct job *job = &list->jobs[list->count++];
    job->count = 1;
    job->background = false;
    job->stages[0].argc = 0;
    job->stages[0].redirect_count = 0;
    return true;
}

/* Where parse_line is: the list it fills, its current job and command. */
struct parser {
    struct job_list *list;
    struct job *job;
    struct command *command;
};

static const char *skip_blanks(const char *p)
{
    while (is_blank(*p)) {
        p++;
    }
    return p;
}

/*
 * Takes the operator at *p ('|', '&' or ';'): '|' starts the pipeline's next command, '&' and
 * ';' end the job (background or not). Sets *ended when a trailing '&' or ';' ends the line.
 * False after saying so on a syntax error or a full table.
 */
static bool parse_operator(struct parser *ps, const char **p, bool *ended)
{
    char op = *(*p)++;
    struct command *command = ps->command;
    struct job *job = ps->job;
    if (command->argc == 0 && (op == '|' || command->redirect_count == 0)) {
        shell_error("syntax error near '%c'", op);
        return false;
    }
    if (op == '|') {
        if (job->count == MAX_STAGES) {
            shell_error("too many commands in the pipeline (at most %d)", MAX_STAGES);
            return false;
        }
        ps->command = &job->stages[job->count++];
        ps->command->argc = 0;
        ps->command->redirect_count = 0;
        return true;
    }
    job->background = op == '&';
    *p = skip_blanks(*p);
    if (**p == '\0') {
        *ended = true; /* a trailing '&' or ';' ends the last job */
        return true;
    }
    if (!new_job(ps->list)) {
        return false;
    }
    ps->job = &ps->list->jobs[ps->list->count - 1];
    ps->command = &ps->job->stages[0];
    return true;
}

/*
 * The checks at the end of the line, then every argv NULL-terminated. False after saying so
 * when the line ends inside a pipeline; an empty line leaves an empty list.
 */
static bool finish_line(struct parser *ps)
{
    struct job_list *list = ps->list;
    if (ps->command->argc == 0 && (ps->command->redirect_count == 0 || ps->job->count > 1)) {
        if (list->count == 1 && ps->job->count == 1) {
            list->count = 0; /* an empty line */
            return true;
        }
        shell_error("syntax error: '|' at the end of the line");
        return false;
    }
    for (int j = 0; j < list->count; j++) {
        struct job *each = &list->jobs[j];
        for (int i = 0; i < each->count; i++) {
            each->stages[i].argv[each->stages[i].argc] = NULL;
        }
    }
    return true;
}

bool parse_line(const char *line, struct job_list *list, char *words)
{
    size_t used = 0;
    list->count = 0;
    if (!new_job(list)) {
        return false;
    }
    struct parser ps = { list, &list->jobs[0], &list->jobs[0].stages[0] };
    const char *p = line;
    for (bool ended = false; !ended;) {
        p = skip_blanks(p);
        if (*p == '\0') {
            break;
        }
        if (redirect_at(p) > 0) {
            if (!parse_redirect(&p, ps.command, words, &used)) {
                return false;
            }
        } else if (*p == '|' || *p == '&' || *p == ';') {
            if (!parse_operator(&ps, &p, &ended)) {
                return false;
            }
        } else {
            /* A word: characters up to an unquoted blank or operator. */
            if (ps.command->argc == MAX_ARGS) {
                shell_error("too many words in one command (at most %d)", MAX_ARGS);
                return false;
            }
            ps.command->argv[ps.command->argc++] = words + used;
            if (!read_word(&p, words, &used)) {
                return false;
            }
        }
    }
    return finish_line(&ps);
}
