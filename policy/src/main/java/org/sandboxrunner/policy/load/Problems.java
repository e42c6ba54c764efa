package org.sandboxrunner.policy.load;

import java.util.ArrayList;
import java.util.List;
import org.sandboxrunner.policy.ProfileError;
import org.sandboxrunner.policy.ProfileException;

/** Collects every error of one document, each located through the document's {@link Locations}. */
public final class Problems {

    private final Locations locations;
    private final List<ProfileError> errors = new ArrayList<>();

    public Problems(Locations locations) {
        this.locations = locations;
    }

    public void add(String path, String message) {
        errors.add(error(locations, path, message));
    }

    /** How many errors so far; a section compares counts to know whether it found any itself. */
    public int count() {
        return errors.size();
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public void throwIfAny() throws ProfileException {
        if (!errors.isEmpty()) {
            throw new ProfileException(errors);
        }
    }

    /** One located error. */
    public static ProfileError error(Locations locations, String path, String message) {
        SourcePosition at = locations.locate(path);
        return new ProfileError(at.source(), at.line(), at.column(), path, message);
    }
}
