package org.sandboxrunner.core.run;

import org.sandboxrunner.policies.BuiltinProfiles;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.ProfileHash;
import org.sandboxrunner.policy.ProfileLoader;

/** Loads what a user names (a built-in, a file, {@code oci:PATH}) and pairs it with its canonical hash. */
public final class Profiles {
    private static final ProfileLoader LOADER = new ProfileLoader(BuiltinProfiles.resolver());

    private Profiles() {}

    public static ResolvedProfile load(String reference) throws ProfileException {
        return resolve(LOADER.load(reference));
    }

    public static ResolvedProfile resolve(Profile profile) {
        return new ResolvedProfile(profile, ProfileHash.of(profile).hex());
    }

    public static ProfileLoader loader() {
        return LOADER;
    }
}
