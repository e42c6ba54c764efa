package org.sandboxrunner.policy;

/**
 * One thing wrong with a profile, and where: {@code source:line:column: path: message}, e.g.
 * {@code grader.yaml:12:11: linux.seccomp.syscalls[3].args[0].op: unknown operator 'SCMP_CMP_EQUAL';
 * valid: SCMP_CMP_NE, ...}.
 *
 * @param source the file (as given), {@code builtin:NAME}, or the OCI config.json path
 * @param line   1-based line, 0 when the problem is with the source as a whole (a missing file)
 * @param column 1-based column, 0 with line 0
 * @param path   the place inside the document ({@code process.user.uid}); empty for the document
 * @param message what is wrong and what would be valid
 */
public record ProfileError(String source, int line, int column, String path, String message) {

    public ProfileError {
        java.util.Objects.requireNonNull(source, "source");
        java.util.Objects.requireNonNull(path, "path");
        java.util.Objects.requireNonNull(message, "message");
    }

    /** The one-line form shown to users. */
    public String format() {
        StringBuilder out = new StringBuilder(source);
        if (line > 0) {
            out.append(':').append(line).append(':').append(column);
        }
        out.append(": ");
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
