package org.sandboxrunner.policy;

import java.util.Optional;
import java.util.Set;

/**
 * A resolved, validated profile: the complete contract of what one sandbox allows. Every field is
 * filled (defaults applied by the loader), so the pipeline never guesses. Field names follow the OCI
 * runtime spec (config.json) wherever it has one; the rest are this runner's additions.
 *
 * @param apiVersion the schema version the profile was written for
 * @param name       the profile's name (built-in name, or the file's base name)
 * @param hostname   the UTS hostname inside the sandbox (OCI {@code hostname})
 * @param image      the signed image to run, empty for the host read-only view
 * @param degrade    the kernel features whose absence may degrade the run instead of refusing it
 */
public record Profile(
        String apiVersion,
        String name,
        String description,
        String hostname,
        ProcessSpec process,
        LinuxSpec linux,
        FilesystemSpec filesystem,
        LimitsSpec limits,
        Optional<ImageSpec> image,
        AuditSpec audit,
        Set<Degradation> degrade) {

    public static final String API_VERSION = "sandbox-runner/v1";

    public Profile {
        Checks.required(apiVersion, "apiVersion");
        Checks.required(name, "name");
        Checks.required(description, "description");
        Checks.required(hostname, "hostname");
        Checks.required(process, "process");
        Checks.required(linux, "linux");
        Checks.required(filesystem, "filesystem");
        Checks.required(limits, "limits");
        Checks.required(image, "image");
        Checks.required(audit, "audit");
        degrade = Set.copyOf(Checks.required(degrade, "degrade"));
    }

    /** This profile running another image (the CLI's --image); the result has its own canonical hash. */
    public Profile withImage(ImageSpec spec) {
        return new Profile(apiVersion, name, description, hostname, process, linux, filesystem, limits,
                Optional.of(spec), audit, degrade);
    }
}
