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

bool parse_line(const char *line, struct job_list *list, char *words)
{
    size_t used = 0;
    list->count = 0;
    if (!new_job(list)) {
        return false;
    }
    struct job *job = &list->jobs[0];
    struct command *command = &job->stages[0];

    const char *p = line;
    for (;;) {
        while (is_blank(*p)) {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        if (redirect_at(p) > 0) {
            if (!parse_redirect(&p, command, words, &used)) {
                return false;
            }
            continue;
        }
        if (*p == '|' || *p == '&' || *p == ';') {
            char op = *p++;
            if (command->argc == 0 && (op == '|' || command->redirect_count == 0)) {
                shell_error("syntax error near '%c'", op);
                return false;
            }
            if (op == '|' && job->count == MAX_STAGES) {
                shell_error("too many commands in the pipeline (at most %d)", MAX_STAGES);
                return false;
            }
            if (op == '|') {
                command = &job->stages[job->count++];
                command->argc = 0;
                command->redirect_count = 0;
                continue;
            }
            job->background = op == '&';
            while (is_blank(*p)) {
                p++;
            }
            if (*p == '\0') {
                break; /* a trailing '&' or ';' ends the last job */
            }
            if (!new_job(list)) {
                return false;
            }
            job = &list->jobs[list->count - 1];
            command = &job->stages[0];
            continue;
        }

        /* A word: characters up to an unquoted blank or operator. */
        if (command->argc == MAX_ARGS) {
            shell_error("too many words in one command (at most %d)", MAX_ARGS);
            return false;
        }
        command->argv[command->argc++] = words + used;
        if (!read_word(&p, words, &used)) {
            return false;
        }
    }

    if (command->argc == 0 && (command->redirect_count == 0 || job->count > 1)) {
        if (list->count == 1 && job->count == 1) {
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
