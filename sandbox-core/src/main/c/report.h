/*
 * Report lines: the native stage's only way to tell the runner what happened. One line per record,
 * each written with a single write(2) of at most PIPE_BUF bytes, so lines from the helper and from
 * the sandbox's init never interleave (pipe(7): writes of up to PIPE_BUF bytes are atomic).
 *
 * Everything here is async-signal-safe: no stdio, no malloc, no locale. It is used between clone
 * and execve.
 */
#ifndef SANDBOX_REPORT_H
#define SANDBOX_REPORT_H

#include <stddef.h>
#include <stdint.h>

#define LINE_MAX_BYTES 4096

struct line {
    char buf[LINE_MAX_BYTES];
    size_t len;
};

void line_start(struct line *l, const char *kind);
void line_str(struct line *l, const char *s);
void line_word(struct line *l, const char *s); /* space, then s with spaces and newlines made safe */
void line_u64(struct line *l, uint64_t v);
/* Decimal text of v, NUL-terminated. */
void u64_text(char out[24], uint64_t v);
void line_hex(struct line *l, uint64_t v);
/* Appends the newline and writes the line to fd; returns 0 or -1. */
int line_send(struct line *l, int fd);

/*
 * Holding: until report_release(), every line this process sends to the held descriptor is gathered
 * and written together, in writes of at most LINE_MAX_BYTES (so still atomic on a pipe), instead of
 * one write per line. The set-up's step and state lines then wake their reader (the helper, and the
 * runner) a few times instead of some forty. A process holds before a point where its reader must
 * have everything (the state gate, the init's release) and releases there, and before it ends.
 */
void report_hold(int fd);
/* Writes what was held and stops holding; returns 0 or -1. */
int report_release(void);

/* "step NAME" */
void report_step(int fd, const char *step);
/* "fail STEP ERRNO DETAIL" */
void report_fail(int fd, const char *step, int err, const char *detail);

size_t str_len(const char *s);
int str_eq(const char *a, const char *b);
/* Copies a + b into out (size n); returns -1 when it does not fit. */
int str_join(char *out, size_t n, const char *a, const char *b);

#endif
