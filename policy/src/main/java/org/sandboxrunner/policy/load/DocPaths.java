package org.sandboxrunner.policy.load;

/**
 * Paths inside a document in the form errors show them: {@code linux.seccomp.syscalls[3].args[0].op}.
 * The empty path is the document itself.
 */
public final class DocPaths {
    private DocPaths() {}

    public static String field(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The enclosing path: {@code a.b[3]} to {@code a.b}, {@code a.b} to {@code a}, {@code a} to the document. */
    public static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    /** Whether {@code path} is {@code prefix} or lies inside it. */
    public static boolean within(String path, String prefix) {
        return prefix.isEmpty() || path.equals(prefix)
                || (path.startsWith(prefix) && (path.charAt(prefix.length()) == '.' || path.charAt(prefix.length()) == '['));
    }
}
