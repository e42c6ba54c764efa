package org.sandboxrunner.tests.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.sandboxrunner.policies.BuiltinProfiles;

/** Arguments (profile, case) for every built-in profile and every case: for attempts with variants. */
final class ProfileCases {
    private ProfileCases() {}

    static Stream<Arguments> across(String... cases) {
        List<Arguments> all = new ArrayList<>();
        for (String profile : BuiltinProfiles.names()) {
            for (String c : cases) {
                all.add(Arguments.of(profile, c));
            }
        }
        return all.stream();
    }
}
