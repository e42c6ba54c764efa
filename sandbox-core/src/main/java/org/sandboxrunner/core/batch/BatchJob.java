package org.sandboxrunner.core.batch;

import java.util.Objects;
import org.sandboxrunner.core.run.RunRequest;

/**
 * One job of a batch: a caller's id, returned with its outcome, and the validated request to run.
 *
 * @param id non-blank, at most {@value #MAX_ID_LENGTH} characters, no control characters (it is
 *           printed in reports and written into result lines)
 */
public record BatchJob(String id, RunRequest request) {
    public static final int MAX_ID_LENGTH = 256;

    public BatchJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        if (id.isBlank()) {
            throw new IllegalArgumentException("job id must not be blank");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("job id is " + id.length() + " characters long; at most " + MAX_ID_LENGTH);
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("job id must not contain control characters");
        }
    }
}
