package org.sandboxrunner.capabilities;

/**
 * How much the inheritable set may hold. A capability in the inheritable set survives
 * {@code execve} into any program whose file-inheritable set names it
 * ({@code P'(permitted) = (P(inheritable) & F(inheritable)) | ...}, capabilities(7)), so an
 * inheritable set wider than needed hands capabilities to programs the profile never meant to
 * empower: the class of runc's CVE-2022-29162 ({@code runc exec --cap-add} filled the inheritable
 * set). The only thing that needs inheritable is ambient: {@code PR_CAP_AMBIENT_RAISE} requires the
 * capability in both permitted and inheritable.
 */
public enum InheritableRule {
    /** The default: inheritable must equal ambient, exactly what ambient needs and nothing more. */
    EQUALS_AMBIENT,
    /**
     * An explicit opt-in for profiles that mean to pass capabilities to programs with
     * file-inheritable capabilities: inheritable may hold more than ambient (still inside bounding,
     * and still a superset of ambient).
     */
    MAY_EXCEED_AMBIENT
}
