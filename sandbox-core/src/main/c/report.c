#include "report.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

int str_eq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int str_join(char *out, size_t n, const char *a, const char *b)
{
    size_t la = str_len(a), lb = str_len(b);
    if (la + lb + 1 > n) {
        return -1;
    }
    for (size_t i = 0; i < la; i++) {
        out[i] = a[i];
    }
    for (size_t i = 0; i < lb; i++) {
        out[la + i] = b[i];
    }
    out[la + lb] = '\0';
    return 0;
}

static void line_char(struct line *l, char c)
{
    /* Keep one byte for the final newline; a longer record is cut, never split. */
    if (l->len < sizeof l->buf - 1) {
        l->buf[l->len++] = c;
    }
}

void line_start(struct line *l, const char *kind)
{
    l->len = 0;
    line_str(l, kind);
}

void line_str(struct line *l, const char *s)
{
    while (*s != '\0') {
        line_char(l, *s++);
    }
}

void line_word(struct line *l, const char *s)
{
    line_char(l, ' ');
    if (*s == '\0') {
        line_char(l, '-');
        return;
    }
    for (; *s != '\0'; s++) {
        /* The runner splits on spaces and newlines; a path may contain both. */
        char c = *s;
        line_char(l, (c == ' ' || c == '\n' || c == '\t') ? '?' : c);
    }
}

void u64_text(char out[24], uint64_t v)
{
    char tmp[24];
    int i = 0, j = 0;
    do {
        tmp[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (i > 0) {
        out[j++] = tmp[--i];
    }
    out[j] = '\0';
}

void line_u64(struct line *l, uint64_t v)
{
    char digits[24];
    u64_text(digits, v);
    line_char(l, ' ');
    line_str(l, digits);
}

void line_hex(struct line *l, uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    line_char(l, ' ');
    for (int shift = 60; shift >= 0; shift -= 4) {
        line_char(l, digits[(v >> shift) & 0xf]);
    }
}

static int write_all(int fd, const char *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, buf + off, len - off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}

/* Lines held for one descriptor (report_hold), at most one PIPE_BUF-sized write's worth. */
static struct {
    int fd;
    size_t len;
    char buf[LINE_MAX_BYTES];
} held = { .fd = -1 };

static int flush_held(void)
{
    int rc = held.len > 0 ? write_all(held.fd, held.buf, held.len) : 0;
    held.len = 0;
    return rc;
}

void report_hold(int fd)
{
    held.fd = fd;
    held.len = 0;
}

int report_release(void)
{
    int rc = held.fd >= 0 ? flush_held() : 0;
    held.fd = -1;
    /* The helper's memory is the next launch's (server.c): held lines name this run's paths. */
    explicit_bzero(held.buf, sizeof held.buf);
    return rc;
}

int line_send(struct line *l, int fd)
{
    l->buf[l->len++] = '\n';
    if (fd < 0 || fd != held.fd) {
        return write_all(fd, l->buf, l->len);
    }
    int rc = held.len + l->len > sizeof held.buf ? flush_held() : 0;
    memcpy(held.buf + held.len, l->buf, l->len);
    held.len += l->len;
    return rc;
}

void report_step(int fd, const char *step)
{
    struct line l;
    line_start(&l, "step");
    line_word(&l, step);
    line_send(&l, fd);
}

void report_fail(int fd, const char *step, int err, const char *detail)
{
    struct line l;
    line_start(&l, "fail");
    line_word(&l, step);
    line_u64(&l, (uint64_t)err);
    line_word(&l, detail);
    line_send(&l, fd);
}
