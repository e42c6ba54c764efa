package org.sandboxrunner.core.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.policies.BuiltinProfiles;
import org.sandboxrunner.policy.CanonicalProfile;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.ProfileError;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.ProfileExplainer;
import org.sandboxrunner.policy.ProfileHash;
import org.sandboxrunner.policy.ProfileLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox profile ...}: check, show, list and explain profiles. Every PROFILE argument is a
 * built-in name, a .yaml/.yml/.json file, or {@code oci:PATH}. Exit status 0, or 125 (the runner's
 * "sandbox could not be set up") with every error on stderr.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Check, show, list and explain sandbox profiles.",
        exitCodeOnInvalidInput = ProfileCommand.EXIT_BAD_PROFILE,
        exitCodeOnExecutionException = ProfileCommand.EXIT_BAD_PROFILE)
public final class ProfileCommand implements Callable<Integer> {

    /** As for every setup failure of the runner (like docker run). */
    static final int EXIT_BAD_PROFILE = 125;

    /**
     * Asked for only when a profile subcommand runs: picocli builds every command of the tree on each
     * start, and a loader brings up Jackson and SnakeYAML, which {@code sandbox run} pays for once, in
     * {@link Profiles}, and other commands not at all.
     */
    private final Supplier<ProfileLoader> loader;

    @Spec
    private CommandSpec spec;

    /** With the built-in profiles of the policies module (the loader every run uses). */
    public ProfileCommand() {
        this.loader = Profiles::loader;
    }

    /** Without a subcommand: say which ones there are. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err());
        return EXIT_BAD_PROFILE;
    }

    @Command(name = "check", exitCodeOnInvalidInput = EXIT_BAD_PROFILE,
            description = "Validate profiles: exit 0 when all are valid, else 125 with every error.")
    int check(@Parameters(arity = "1..*", paramLabel = "PROFILE", description = "File, built-in name or oci:PATH.")
              List<String> references) {
        boolean allValid = true;
        for (String reference : references) {
            try {
                Profile profile = loader.get().load(reference);
                out().println(reference + ": valid, profile " + profile.name() + " " + ProfileHash.of(profile));
            } catch (ProfileException e) {
                report(e);
                allValid = false;
            }
        }
        return allValid ? 0 : EXIT_BAD_PROFILE;
    }

    @Command(name = "show", exitCodeOnInvalidInput = EXIT_BAD_PROFILE,
            description = "Print the resolved canonical profile (compact JSON) and, on the next line, its sha256.")
    int show(@Parameters(paramLabel = "PROFILE", description = "File, built-in name or oci:PATH.") String reference) {
        try {
            Profile profile = loader.get().load(reference);
            out().println(CanonicalProfile.render(profile));
            out().println(ProfileHash.of(profile));
            return 0;
        } catch (ProfileException e) {
            report(e);
            return EXIT_BAD_PROFILE;
        }
    }

    @Command(name = "list", exitCodeOnInvalidInput = EXIT_BAD_PROFILE,
            description = "List the built-in profiles, one line each.")
    int list() {
        for (BuiltinProfiles.Entry entry : BuiltinProfiles.list()) {
            out().printf("%-14s %s%n", entry.name(), entry.description());
        }
        return 0;
    }

    @Command(name = "explain", exitCodeOnInvalidInput = EXIT_BAD_PROFILE,
            description = "Say in plain language what a profile allows and forbids.")
    int explain(@Parameters(paramLabel = "PROFILE", description = "File, built-in name or oci:PATH.") String reference) {
        try {
            out().print(ProfileExplainer.explain(loader.get().load(reference)));
            return 0;
        } catch (ProfileException e) {
            report(e);
            return EXIT_BAD_PROFILE;
        }
    }

    private void report(ProfileException e) {
        for (ProfileError error : e.errors()) {
            err().println(error.format());
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
