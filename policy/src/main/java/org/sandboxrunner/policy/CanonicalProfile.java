package org.sandboxrunner.policy;

import java.nio.charset.StandardCharsets;
import org.sandboxrunner.policy.wire.DomainToWire;
import org.sandboxrunner.policy.wire.ProfileMapper;

/**
 * The canonical form of a profile: resolved ({@code extends} applied), every default written out,
 * keys sorted, compact JSON in UTF-8. Two profiles that allow exactly the same have the same
 * canonical form whatever their source looked like (YAML or JSON, key order, sizes as 64M or
 * 67108864, defaults written or not), and {@code parse(render(p)).equals(p)}.
 */
public final class CanonicalProfile {

    private static final ProfileLoader LOADER = new ProfileLoader(BuiltinResolver.NONE);

    private CanonicalProfile() {}

    public static String render(Profile profile) {
        return CanonicalJson.write(ProfileMapper.toTree(DomainToWire.of(profile)));
    }

    /** The bytes that {@link ProfileHash} hashes. */
    public static byte[] bytes(Profile profile) {
        return render(profile).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a canonical form back (any complete profile document in JSON, in fact). */
    public static Profile parse(String canonicalJson) throws ProfileException {
        return LOADER.parse("canonical.json", canonicalJson, ProfileFormat.JSON);
    }
}
