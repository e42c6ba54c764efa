package org.sandboxrunner.policy.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.sandboxrunner.policy.BuiltinResolver;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.ProfileFormat;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileDocument;

/**
 * Loads a profile with its {@code extends} chain: each document is read and bound on its own (so its
 * errors point into it), laid over its resolved parent or the defaults, validated as a whole, and
 * checked against its parent's limits.
 */
public final class ProfileResolver {

    /** A chain deeper than this is a mistake, not a design. */
    static final int MAX_DEPTH = 16;

    /** The fields whose value is a list, the only ones {@code append} may name. */
    static final Set<String> LIST_FIELDS = new LinkedHashSet<>(List.of(
            "process.env", "process.rlimits", "process.securebits", "process.user.additionalGids",
            "process.capabilities.bounding", "process.capabilities.effective", "process.capabilities.inheritable",
            "process.capabilities.permitted", "process.capabilities.ambient", "linux.namespaces",
            "linux.uidMappings", "linux.gidMappings", "linux.maskedPaths", "linux.readonlyPaths",
            "linux.seccomp.architectures", "linux.seccomp.flags", "linux.seccomp.syscalls", "mounts",
            "filesystem.hostReadOnly", "degrade"));

    /** The directives of one document, which its children do not inherit. */
    private static final List<String> DIRECTIVES = List.of("extends", "loosen", "append");
    /** Per-document fields: a child is never named after its parent. */
    private static final List<String> OWN_FIELDS = List.of("name", "description");

    private static final Resolved DEFAULTS = readDefaults();

    private final BuiltinResolver builtins;

    public ProfileResolver(BuiltinResolver builtins) {
        this.builtins = builtins;
    }

    private record Resolved(Profile profile, ObjectNode tree, Locations locations) {}

    public Profile resolve(ProfileSource source) throws ProfileException {
        return resolve(source, List.of()).profile();
    }

    private Resolved resolve(ProfileSource source, List<ProfileSource> chain) throws ProfileException {
        Document doc = source.read();
        ProfileDocument own = Binder.bind(doc.root(), doc.locations(), ProfileDocument.class);
        Problems problems = new Problems(doc.locations());
        apiVersion(own.apiVersion(), problems);
        Set<String> append = append(own, doc, problems);
        if (Boolean.TRUE.equals(own.loosen()) && own.extendsRef() == null) {
            problems.add("loosen", "only has a meaning with extends: it lets this profile raise its parent's limits");
        }
        problems.throwIfAny();

        Resolved base = DEFAULTS;
        if (own.extendsRef() != null) {
            List<ProfileSource> path = new ArrayList<>(chain);
            path.add(source);
            base = resolve(parent(own.extendsRef(), source, path, doc.locations()), path);
        }
        ObjectNode child = doc.root().deepCopy();
        child.remove(DIRECTIVES);
        ObjectNode baseTree = base.tree().deepCopy();
        baseTree.remove(OWN_FIELDS);
        Locations baseLocations = base.locations().copy(doc.locations().locate(""));
        OWN_FIELDS.forEach(baseLocations::remove);

        DocumentMerger.Merged merged = DocumentMerger.merge(baseTree, baseLocations,
                new Document(doc.source(), child, doc.locations()), append);
        ProfileDocument wire = Binder.bind(merged.tree(), merged.locations(), ProfileDocument.class);
        Problems mergedProblems = new Problems(merged.locations());
        Profile profile = ProfileAssembler.assemble(wire, source.defaultName(), mergedProblems);
        if (profile != null && own.extendsRef() != null && !Boolean.TRUE.equals(own.loosen())) {
            Tightening.check(base.profile(), profile, mergedProblems);
        }
        mergedProblems.throwIfAny();
        return new Resolved(profile, merged.tree(), merged.locations());
    }

    private static void apiVersion(String apiVersion, Problems problems) {
        if (apiVersion == null) {
            problems.add("apiVersion", "required: write 'apiVersion: " + Profile.API_VERSION + "' (the schema this"
                    + " runner reads)");
        } else if (!apiVersion.equals(Profile.API_VERSION)) {
            problems.add("apiVersion", "unsupported apiVersion " + Describe.quote(apiVersion) + "; this runner reads "
                    + Profile.API_VERSION);
        }
    }

    private static Set<String> append(ProfileDocument own, Document doc, Problems problems) {
        List<String> paths = own.append() == null ? List.of() : own.append();
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            String at = DocPaths.index("append", i);
            if (!LIST_FIELDS.contains(path)) {
                problems.add(at, Describe.quote(path) + " is not a list field; valid: " + String.join(", ", LIST_FIELDS));
            } else if (!has(doc.root(), path)) {
                problems.add(at, Describe.quote(path) + " is not set by this profile; append names the lists this"
                        + " profile adds items to");
            }
        }
        FieldChecks.unique(paths, p -> p, "append", "path", problems);
        return new LinkedHashSet<>(paths);
    }

    private static boolean has(ObjectNode root, String dottedPath) {
        com.fasterxml.jackson.databind.JsonNode node = root;
        for (String part : dottedPath.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node != null && node.isArray();
    }

    private ProfileSource parent(String reference, ProfileSource child, List<ProfileSource> chain, Locations locations)
            throws ProfileException {
        Problems problems = new Problems(locations);
        if (child instanceof ProfileSource.Builtin && !ProfileSource.BUILTIN_NAME.matcher(reference).matches()) {
            problems.add("extends", "a built-in profile can only extend another built-in, not "
                    + Describe.quote(reference));
            problems.throwIfAny();
        }
        ProfileSource parent = ProfileSource.of(reference, child.directory(), builtins);
        String names = chain.stream().map(ProfileSource::display).collect(Collectors.joining(" -> "));
        if (chain.stream().anyMatch(s -> s.key().equals(parent.key()))) {
            problems.add("extends", "extends cycle: " + names + " -> " + parent.display());
        } else if (chain.size() >= MAX_DEPTH) {
            problems.add("extends", "the extends chain is deeper than " + MAX_DEPTH + ": " + names);
        } else if (!parent.exists()) {
            problems.add("extends", missing(parent) + " (chain: " + names + " -> " + parent.display() + ")");
        }
        problems.throwIfAny();
        return parent;
    }

    private String missing(ProfileSource parent) {
        if (parent instanceof ProfileSource.Builtin builtin) {
            return "no built-in profile named " + Describe.quote(builtin.name()) + "; built-in profiles: "
                    + String.join(", ", builtins.names()) + "; a file path needs a '/' or a .yaml, .yml or .json name";
        }
        return "parent profile " + parent.display() + " does not exist";
    }

    private static Resolved readDefaults() {
        try (InputStream in = ProfileResolver.class.getResourceAsStream("/org/sandboxrunner/policy/defaults.yaml")) {
            if (in == null) {
                throw new IllegalStateException("defaults.yaml is missing from the policy jar");
            }
            Document doc = DocumentReader.read("defaults", in.readAllBytes(), ProfileFormat.YAML);
            Binder.bind(doc.root(), doc.locations(), ProfileDocument.class);
            // Defaults are never shown as the place of an error: a value left at its default is
            // located at its nearest written ancestor in the user's document instead.
            return new Resolved(null, doc.root(), new Locations(new SourcePosition("defaults", 1, 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProfileException e) {
            throw new IllegalStateException("defaults.yaml is invalid: " + e.getMessage(), e);
        }
    }
}
