package org.sandboxrunner.policy.load;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.AuditSpec;
import org.sandboxrunner.policy.Degradation;
import org.sandboxrunner.policy.FilesystemSpec;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.ImageSpec;
import org.sandboxrunner.policy.LimitsSpec;
import org.sandboxrunner.policy.LinuxSpec;
import org.sandboxrunner.policy.ProcessSpec;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileDocument;

/**
 * Turns a merged document (defaults and parents applied) into a validated {@link Profile}: every
 * field checked with its path, the checks that span sections (ids mapped), and the domain records
 * built only when nothing was wrong.
 */
public final class ProfileAssembler {

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final String NAME_RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    static final int MAX_DESCRIPTION = 200;
    /** RFC 1123 labels, at most HOST_NAME_MAX (64) characters in all. */
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final List<String> DEGRADATIONS =
            Arrays.stream(Degradation.values()).map(Degradation::profileName).toList();

    private ProfileAssembler() {}

    /**
     * @param name the profile's name when the document gives none (the file's base name)
     */
    public static Profile assemble(ProfileDocument doc, String name, Problems problems) {
        int before = problems.count();
        String profileName = doc.name() != null ? doc.name() : name;
        if (profileName == null || !NAME.matcher(profileName).matches()) {
            problems.add("name", (profileName == null ? "required" : "must be " + NAME_RULE + ", got "
                    + Describe.quote(profileName)) + (doc.name() == null ? " (no name is written, and the file name"
                    + " does not make one)" : ""));
        }
        String description = doc.description() == null ? "" : doc.description();
        if (description.length() > MAX_DESCRIPTION || description.chars().anyMatch(Character::isISOControl)) {
            problems.add("description", "must be one line of at most " + MAX_DESCRIPTION + " characters");
        }
        if (FieldChecks.present(doc.hostname(), "hostname", "a host name such as sandbox", problems)
                && !HOSTNAME.matcher(doc.hostname()).matches()) {
            problems.add("hostname", "must be a host name (letters, digits and '-' in dot-separated labels, at most 64"
                    + " characters, RFC 1123), got " + Describe.quote(doc.hostname()));
        }
        ProcessSpec process = ProcessAssembler.assemble(doc.process(), problems);
        LinuxSpec linux = LinuxAssembler.assemble(doc.linux(), problems);
        FilesystemSpec filesystem = FilesystemAssembler.assemble(doc.filesystem(), doc.mounts(), problems);
        LimitsSpec limits = limits(doc.limits(), problems);
        Optional<ImageSpec> image = image(doc.image(), problems);
        AuditSpec audit = audit(doc.audit(), problems);
        Set<Degradation> degrade = degrade(FieldChecks.orEmpty(doc.degrade()), problems);
        if (process != null && linux != null) {
            idsMapped(process, linux, problems);
        }
        if (problems.count() > before) {
            return null;
        }
        return new Profile(doc.apiVersion(), profileName, description, doc.hostname(), process, linux, filesystem,
                limits, image, audit, degrade);
    }

    /** The workload's ids must exist inside the user namespace, or setresuid/setgroups would fail at run time. */
    private static void idsMapped(ProcessSpec process, LinuxSpec linux, Problems problems) {
        mapped(process.user().uid(), linux.uidMappings(), "process.user.uid", "uid", "linux.uidMappings", problems);
        mapped(process.user().gid(), linux.gidMappings(), "process.user.gid", "gid", "linux.gidMappings", problems);
        List<Long> gids = process.user().additionalGids();
        for (int i = 0; i < gids.size(); i++) {
            mapped(gids.get(i), linux.gidMappings(), DocPaths.index("process.user.additionalGids", i), "gid",
                    "linux.gidMappings", problems);
        }
    }

    private static void mapped(long id, List<IdMapping> mappings, String path, String what, String mappingPath,
                               Problems problems) {
        if (mappings.stream().noneMatch(m -> m.mapsContainerId(id))) {
            problems.add(path, what + " " + id + " is not mapped by " + mappingPath + " ("
                    + String.join(", ", mappings.stream().map(IdMapping::containerRange).toList())
                    + "); map it or choose a mapped " + what);
        }
    }

    private static LimitsSpec limits(ProfileDocument.Limits limits, Problems problems) {
        if (limits == null) {
            return new LimitsSpec(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
        }
        int before = problems.count();
        FieldChecks.inRange(limits.cpuTimeMs(), 1, Long.MAX_VALUE, "limits.cpuTimeMs", problems);
        FieldChecks.inRange(limits.wallTimeMs(), 1, Long.MAX_VALUE, "limits.wallTimeMs", problems);
        if (problems.count() > before) {
            return null;
        }
        return new LimitsSpec(FieldChecks.optional(limits.cpuTimeMs()), FieldChecks.optional(limits.wallTimeMs()),
                limits.outputBytes() == null ? OptionalLong.empty() : OptionalLong.of(limits.outputBytes().bytes()));
    }

    private static Optional<ImageSpec> image(ProfileDocument.Image image, Problems problems) {
        if (image == null) {
            return Optional.empty();
        }
        int before = problems.count();
        if (FieldChecks.present(image.reference(), "image.reference", "oci:DIR[:TAG|@sha256:DIGEST]", problems)
                && (!image.reference().startsWith("oci:") || image.reference().length() == 4)) {
            problems.add("image.reference", "must be an OCI layout reference oci:DIR[:TAG|@sha256:DIGEST], got "
                    + Describe.quote(image.reference()));
        }
        FieldChecks.absolutePath(image.trustPolicy(), "image.trustPolicy", problems);
        return problems.count() > before ? null : Optional.of(new ImageSpec(image.reference(), image.trustPolicy()));
    }

    private static AuditSpec audit(ProfileDocument.Audit audit, Problems problems) {
        if (audit == null) {
            return AuditSpec.none();
        }
        int before = problems.count();
        if (audit.log() != null) {
            FieldChecks.absolutePath(audit.log(), "audit.log", problems);
        }
        if (audit.signingKey() != null) {
            FieldChecks.absolutePath(audit.signingKey(), "audit.signingKey", problems);
        }
        return problems.count() > before ? null
                : new AuditSpec(Optional.ofNullable(audit.log()), Optional.ofNullable(audit.signingKey()));
    }

    private static Set<Degradation> degrade(List<String> names, Problems problems) {
        Set<Degradation> result = EnumSet.noneOf(Degradation.class);
        for (int i = 0; i < names.size(); i++) {
            if (FieldChecks.oneOf(names.get(i), DEGRADATIONS, DocPaths.index("degrade", i), "degradation", problems)) {
                result.add(degradation(names.get(i)));
            }
        }
        FieldChecks.unique(names, n -> n, "degrade", "degradation", problems);
        return result;
    }

    private static Degradation degradation(String profileName) {
        return Degradation.valueOf(profileName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
