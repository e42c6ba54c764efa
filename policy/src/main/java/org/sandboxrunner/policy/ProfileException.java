package org.sandboxrunner.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A profile could not be loaded; carries every error found, each with its location. */
public final class ProfileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<ProfileError> errors;

    public ProfileException(List<ProfileError> errors) {
        super(errors.stream().map(ProfileError::format).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ProfileException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public ProfileException(ProfileError error) {
        this(List.of(error));
    }

    public List<ProfileError> errors() {
        return errors;
    }
}
