package org.sandboxrunner.policy;

import java.util.Locale;
import java.util.Optional;

/** The two syntaxes of one profile schema. */
public enum ProfileFormat {
    YAML,
    JSON;

    /** {@code .yaml}/{@code .yml} is YAML, {@code .json} is JSON; anything else has no format. */
    public static Optional<ProfileFormat> ofFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return Optional.of(YAML);
        }
        if (lower.endsWith(".json")) {
            return Optional.of(JSON);
        }
        return Optional.empty();
    }
}
