/*
 * Shared by the hostile programs of the escape suite (tests/src/test/java/org/sandboxrunner/tests/escape).
 * Each program makes one kind of attempt, in one or more steps, and prints one line per step:
 *
 *   worked STEP [DETAIL]   the step did what it tried (inside the sandbox: an escape)
 *   blocked STEP WHY       the step was refused; WHY is the errno name (EPERM, ENOSYS, ...) or a word
 *   note STEP [DETAIL]     a fact on the way, not a verdict (e.g. a namespaced mount that may work)
 *   broken STEP WHY        the program could not even try: a fault of the program, not a verdict
 *
 * Exit status: 0 when any step worked, 3 when none did, 4 when broken. The tests run each program
 * inside the sandbox (it must give 3, or be killed by the seccomp filter) and, where that is safe,
 * outside it with ProcessBuilder (it must give 0), so no test passes because the attempt was broken.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Not every program uses every helper. */
#define HOSTILE_FN static __attribute__((unused))

#define ATTEMPT_WORKED 0
#define ATTEMPT_BLOCKED 3
#define ATTEMPT_BROKEN 4

static int hostile_worked_steps;

__attribute__((constructor)) static void hostile_line_buffered(void)
{
    /* Line by line, so nothing is lost or doubled when a program forks or is killed. */
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static const char *errno_name(int err)
{
    const char *name = strerrorname_np(err);
    static char number[16];
    if (name == NULL) {
        snprintf(number, sizeof number, "E%d", err);
        return number;
    }
    return name;
}

HOSTILE_FN void report_line(const char *kind, const char *step, const char *fmt, va_list ap)
{
    char detail[512];
    vsnprintf(detail, sizeof detail, fmt, ap);
    printf("%s %s %s\n", kind, step, detail);
}

__attribute__((format(printf, 2, 3))) HOSTILE_FN void worked(const char *step, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_line("worked", step, fmt, ap);
    va_end(ap);
    hostile_worked_steps++;
}

HOSTILE_FN void blocked(const char *step, int err)
{
    printf("blocked %s %s\n", step, errno_name(err));
}

HOSTILE_FN void refused(const char *step, const char *why)
{
    printf("blocked %s %s\n", step, why);
}

__attribute__((format(printf, 2, 3))) HOSTILE_FN void note(const char *step, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_line("note", step, fmt, ap);
    va_end(ap);
}

__attribute__((noreturn)) HOSTILE_FN void broken(const char *step, int err)
{
    printf("broken %s %s\n", step, errno_name(err));
    exit(ATTEMPT_BROKEN);
}

/* Records a step that returned r (negative with errno on failure). */
HOSTILE_FN int step_result(const char *step, long r)
{
    if (r < 0) {
        blocked(step, errno);
        return 0;
    }
    worked(step, "%ld", r);
    return 1;
}

/* For steps done in a forked child: the child's exit status counts as this process's own. */
HOSTILE_FN void count_child(int wstatus)
{
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == ATTEMPT_WORKED) {
        hostile_worked_steps++;
    } else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == ATTEMPT_BROKEN) {
        exit(ATTEMPT_BROKEN);
    }
}

HOSTILE_FN int verdict(void)
{
    fflush(stdout);
    return hostile_worked_steps > 0 ? ATTEMPT_WORKED : ATTEMPT_BLOCKED;
}

/* Whether a file at this absolute path can be opened: the test puts a witness file where only the
   host can see it, so seeing it means a step reached the host's filesystem. */
HOSTILE_FN int can_open(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    fclose(f);
    return 1;
}

#endif
