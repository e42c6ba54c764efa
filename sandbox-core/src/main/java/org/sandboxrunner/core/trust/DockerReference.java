package org.sandboxrunner.core.trust;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalized Docker reference ({@code domain/path[:tag][@digest]}), parsed as distribution/reference's
 * {@code ParseNormalizedNamed} does: a first component with a dot, a colon, an uppercase letter or equal to
 * {@code localhost} is the registry; otherwise the registry is {@code docker.io}, and a single-component
 * path on docker.io gets {@code library/}. Signatures name images this way (critical.identity).
 */
public record DockerReference(String domain, String path, Optional<String> tag, Optional<String> digest) {

    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "(?::[0-9]+)?|\\[[a-fA-F0-9:]+\\](?::[0-9]+)?");
    private static final Pattern PATH = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
    private static final int MAX_NAME = 255;

    public DockerReference {
        if (domain == null || path == null || tag == null || digest == null) {
            throw new IllegalArgumentException("docker reference parts must not be null");
        }
    }

    /** Parses and normalizes; the message says what is wrong with the text. */
    public static DockerReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("invalid docker reference: empty");
        }
        String rest = text;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            String d = rest.substring(at + 1);
            if (!DIGEST.matcher(d).matches()) {
                throw new IllegalArgumentException("invalid docker reference \"" + text + "\": bad digest");
            }
            digest = Optional.of(d);
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            String t = rest.substring(colon + 1);
            if (!TAG.matcher(t).matches()) {
                throw new IllegalArgumentException("invalid docker reference \"" + text + "\": bad tag");
            }
            tag = Optional.of(t);
            rest = rest.substring(0, colon);
        }
        String domain;
        String path;
        int first = rest.indexOf('/');
        String head = first < 0 ? "" : rest.substring(0, first);
        if (first >= 0 && (head.contains(".") || head.contains(":") || head.equals("localhost")
                || !head.equals(head.toLowerCase(java.util.Locale.ROOT)))) {
            domain = head;
            path = rest.substring(first + 1);
        } else {
            domain = "docker.io";
            path = rest;
        }
        if (domain.equals("index.docker.io")) {
            domain = "docker.io";
        }
        if (domain.equals("docker.io") && !path.contains("/")) {
            path = "library/" + path;
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("invalid docker reference \"" + text + "\": bad registry \""
                    + domain + "\"");
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("invalid docker reference \"" + text
                    + "\": repository path must be lowercase components separated by /");
        }
        if (domain.length() + 1 + path.length() > MAX_NAME) {
            throw new IllegalArgumentException("invalid docker reference \"" + text + "\": name longer than "
                    + MAX_NAME + " characters");
        }
        return new DockerReference(domain, path, tag, digest);
    }

    /** The repository name, {@code domain/path}. */
    public String name() {
        return domain + "/" + path;
    }

    public boolean isNameOnly() {
        return tag.isEmpty() && digest.isEmpty();
    }

    @Override
    public String toString() {
        return name() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
