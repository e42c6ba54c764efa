package org.sandboxrunner.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A trust policy in the containers-policy.json(5) format, reduced to what applies to offline OCI layouts.
 *
 * <p>The whole file is checked: every field of every requirement (unknown ones are errors, as are
 * duplicate keys and trailing data), in every transport, even those this runner never evaluates, so a
 * file that containers/image would refuse is refused here too. Features that need the network or a PKI
 * ({@code fulcio}, {@code rekorPublicKey*}, {@code pki}, X.509 key types) are refused with a message,
 * rather than silently weakened. Without a file the policy is {@link #REJECT_ALL}.
 *
 * <p>Relative {@code keyPath}s are resolved against the policy file's directory.
 */
public final class TrustPolicy {

    /** The policy when none is configured: {@code {"default": [{"type": "reject"}]}}. */
    public static final TrustPolicy REJECT_ALL =
            new TrustPolicy(List.of(new PolicyRequirement.Reject("default[0]")), Map.of());

    /** containers/image's transport names; a policy naming another transport is refused. */
    static final Set<String> TRANSPORTS = Set.of("atomic", "containers-storage", "dir", "docker", "docker-archive",
            "docker-daemon", "oci", "oci-archive", "ostree", "sif", "tarball");
    static final long MAX_POLICY_FILE = 1L << 20;

    private final List<PolicyRequirement> defaults;
    private final Map<String, Map<String, List<PolicyRequirement>>> transports;

    private TrustPolicy(List<PolicyRequirement> defaults, Map<String, Map<String, List<PolicyRequirement>>> transports) {
        this.defaults = List.copyOf(defaults);
        Map<String, Map<String, List<PolicyRequirement>>> copy = new LinkedHashMap<>();
        transports.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        this.transports = Map.copyOf(copy);
    }

    /** The requirements that apply to one image, and which scope they came from. */
    public record Scoped(String scope, List<PolicyRequirement> requirements) {
        public Scoped {
            requirements = List.copyOf(requirements);
        }
    }

    public static TrustPolicy load(Path file) throws TrustPolicyException {
        byte[] data;
        try {
            if (Files.size(file) > MAX_POLICY_FILE) {
                throw new TrustPolicyException(file + ": larger than " + MAX_POLICY_FILE + " bytes");
            }
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TrustPolicyException("cannot read trust policy " + file + ": " + e, e);
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(data, file.toString(), base);
    }

    /** Parses policy bytes; {@code name} prefixes every message and relative key paths resolve against {@code base}. */
    public static TrustPolicy parse(byte[] json, String name, Path base) throws TrustPolicyException {
        return new Parser(name, base).policy(json);
    }

    /**
     * The requirements for an {@code oci:} layout at {@code resolvedDir} (symlinks resolved), in
     * containers/image's order: the exact identity, then the directory and each parent (never "/"), then
     * the transport default {@code ""}, then {@code default}. As a small addition, a scope
     * {@code DIR:TAG} matches that tag before {@code DIR}.
     */
    public Scoped requirementsForOci(Path resolvedDir, Optional<String> tag) {
        Map<String, List<PolicyRequirement>> scopes = transports.get("oci");
        if (scopes != null) {
            List<String> candidates = new ArrayList<>();
            String dir = resolvedDir.toString();
            tag.ifPresent(t -> candidates.add(dir + ":" + t));
            for (Path p = resolvedDir; p != null && p.getParent() != null; p = p.getParent()) {
                candidates.add(p.toString());
            }
            candidates.add("");
            for (String c : candidates) {
                List<PolicyRequirement> found = scopes.get(c);
                if (found != null) {
                    return new Scoped("transports.oci[\"" + c + "\"]", found);
                }
            }
        }
        return new Scoped("default", defaults);
    }

    /** The scopes of one transport, for inspection and tests. */
    public Map<String, List<PolicyRequirement>> scopes(String transport) {
        return transports.getOrDefault(transport, Map.of());
    }

    public List<PolicyRequirement> defaults() {
        return defaults;
    }

    private static final class Parser {
        private final String name;
        private final Path base;

        Parser(String name, Path base) {
            this.name = name;
            this.base = base;
        }

        TrustPolicy policy(byte[] json) throws TrustPolicyException {
            JsonNode root;
            try {
                root = StrictJson.tree(json, name);
            } catch (TrustException e) {
                throw new TrustPolicyException(e.getMessage(), e);
            }
            object(root, "the top level", Set.of("default", "transports"), Set.of("default"));
            List<PolicyRequirement> defaults = requirements(root.get("default"), "default");
            Map<String, Map<String, List<PolicyRequirement>>> transports = new LinkedHashMap<>();
            JsonNode t = root.get("transports");
            if (t != null) {
                if (!t.isObject()) {
                    throw error("transports", "must be an object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String transport = e.getKey();
                    if (!TRANSPORTS.contains(transport)) {
                        throw error("transports", "unknown transport \"" + transport + "\"");
                    }
                    String where = "transports." + transport;
                    if (!e.getValue().isObject()) {
                        throw error(where, "must be an object of scopes");
                    }
                    Map<String, List<PolicyRequirement>> scopes = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> s = e.getValue().fields(); s.hasNext(); ) {
                        Map.Entry<String, JsonNode> scope = s.next();
                        String scopeWhere = where + "[\"" + scope.getKey() + "\"]";
                        if (transport.equals("oci")) {
                            validateOciScope(scope.getKey(), scopeWhere);
                        }
                        scopes.put(scope.getKey(), requirements(scope.getValue(), scopeWhere));
                    }
                    transports.put(transport, scopes);
                }
            }
            return new TrustPolicy(defaults, transports);
        }

        /** containers/image oci_transport.go: absolute, canonical, not "/" ("" is the transport default). */
        private void validateOciScope(String scope, String where) throws TrustPolicyException {
            if (scope.isEmpty()) {
                return;
            }
            String dir = scope.contains(":") ? scope.substring(0, scope.indexOf(':')) : scope;
            if (!dir.startsWith("/")) {
                throw error(where, "an oci scope must be an absolute path");
            }
            if (dir.equals("/")) {
                throw error(where, "scope \"/\" is not allowed; use the transport default scope \"\"");
            }
            String clean = Path.of(dir).normalize().toString();
            if (!clean.equals(dir)) {
                throw error(where, "scope is not in canonical form, perhaps try \"" + clean + "\"");
            }
        }

        private List<PolicyRequirement> requirements(JsonNode node, String where) throws TrustPolicyException {
            if (node == null || !node.isArray()) {
                throw error(where, "must be an array of requirements");
            }
            if (node.isEmpty()) {
                throw error(where, "the list of requirements must not be empty");
            }
            List<PolicyRequirement> result = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                result.add(requirement(node.get(i), where + "[" + i + "]"));
            }
            return result;
        }

        private PolicyRequirement requirement(JsonNode node, String where) throws TrustPolicyException {
            if (node == null || !node.isObject()) {
                throw error(where, "must be an object");
            }
            String type = string(node, "type", where);
            switch (type) {
                case "insecureAcceptAnything":
                    object(node, where, Set.of("type"), Set.of("type"));
                    return new PolicyRequirement.InsecureAcceptAnything(where);
                case "reject":
                    object(node, where, Set.of("type"), Set.of("type"));
                    return new PolicyRequirement.Reject(where);
                case "signedBy": {
                    object(node, where, Set.of("type", "keyType", "keyPath", "keyPaths", "keyData", "signedIdentity"),
                            Set.of("type", "keyType"));
                    String keyType = string(node, "keyType", where);
                    if (!Set.of("GPGKeys", "signedByGPGKeys", "X509Certificates", "signedByX509CAs").contains(keyType)) {
                        throw error(where + ".keyType", "unknown keyType \"" + keyType + "\"");
                    }
                    return new PolicyRequirement.SignedBy(where, keyType,
                            keys(node, where, Set.of("keyPath", "keyPaths", "keyData")), identity(node, where));
                }
                case "sigstoreSigned": {
                    for (String unsupported : List.of("fulcio", "rekorPublicKeyPaths", "rekorPublicKeyDatas", "pki")) {
                        if (node.has(unsupported)) {
                            throw error(where + "." + unsupported, "is not supported by this runner: only"
                                    + " public keys (keyPath, keyPaths, keyData, keyDatas) and one Rekor key"
                                    + " (rekorPublicKeyPath, rekorPublicKeyData) are verified offline");
                        }
                    }
                    object(node, where, Set.of("type", "keyPath", "keyPaths", "keyData", "keyDatas", "signedIdentity",
                            "rekorPublicKeyPath", "rekorPublicKeyData"), Set.of("type"));
                    return new PolicyRequirement.SigstoreSigned(where,
                            keys(node, where, Set.of("keyPath", "keyPaths", "keyData", "keyDatas")),
                            rekorKey(node, where), identity(node, where));
                }
                case "signedBaseLayer":
                    object(node, where, Set.of("type", "baseLayerIdentity"), Set.of("type", "baseLayerIdentity"));
                    identityObject(node.get("baseLayerIdentity"), where + ".baseLayerIdentity");
                    return new PolicyRequirement.SignedBaseLayer(where);
                default:
                    throw error(where + ".type", "unknown requirement type \"" + type + "\"");
            }
        }

        /** Exactly one of the key fields; paths are resolved, data is base64-decoded here. */
        private List<KeySource> keys(JsonNode node, String where, Set<String> fields) throws TrustPolicyException {
            List<String> present = new ArrayList<>();
            for (String f : List.of("keyPath", "keyPaths", "keyData", "keyDatas")) {
                if (fields.contains(f) && node.has(f)) {
                    present.add(f);
                }
            }
            if (present.size() != 1) {
                throw error(where, "exactly one of " + String.join(", ", fields.stream().sorted().toList())
                        + " must be set, found " + (present.isEmpty() ? "none" : String.join(", ", present)));
            }
            String field = present.get(0);
            List<String> values = new ArrayList<>();
            if (field.endsWith("s")) {
                JsonNode list = node.get(field);
                if (!list.isArray() || list.isEmpty()) {
                    throw error(where + "." + field, "must be a non-empty array of strings");
                }
                for (int i = 0; i < list.size(); i++) {
                    if (!list.get(i).isTextual() || list.get(i).textValue().isEmpty()) {
                        throw error(where + "." + field + "[" + i + "]", "must be a non-empty string");
                    }
                    values.add(list.get(i).textValue());
                }
            } else {
                values.add(string(node, field, where));
            }
            List<KeySource> result = new ArrayList<>();
            for (String v : values) {
                if (field.startsWith("keyPath")) {
                    result.add(new KeySource.File(base.resolve(v).normalize()));
                } else {
                    try {
                        result.add(new KeySource.Data(Base64.getDecoder().decode(v), name + " " + where));
                    } catch (IllegalArgumentException e) {
                        throw error(where + "." + field, "is not base64: " + e.getMessage());
                    }
                }
            }
            return result;
        }

        /** At most one of rekorPublicKeyPath and rekorPublicKeyData (a PEM file, or base64 of one). */
        private Optional<KeySource> rekorKey(JsonNode node, String where) throws TrustPolicyException {
            boolean path = node.has("rekorPublicKeyPath");
            boolean data = node.has("rekorPublicKeyData");
            if (path && data) {
                throw error(where, "at most one of rekorPublicKeyPath, rekorPublicKeyData may be set");
            }
            if (path) {
                return Optional.of(new KeySource.File(base.resolve(string(node, "rekorPublicKeyPath", where)).normalize()));
            }
            if (data) {
                try {
                    return Optional.of(new KeySource.Data(Base64.getDecoder().decode(
                            string(node, "rekorPublicKeyData", where)), name + " " + where + ".rekorPublicKeyData"));
                } catch (IllegalArgumentException e) {
                    throw error(where + ".rekorPublicKeyData", "is not base64: " + e.getMessage());
                }
            }
            return Optional.empty();
        }

        private SignedIdentity identity(JsonNode node, String where) throws TrustPolicyException {
            JsonNode id = node.get("signedIdentity");
            return id == null ? new SignedIdentity.MatchRepoDigestOrExact()
                    : identityObject(id, where + ".signedIdentity");
        }

        private SignedIdentity identityObject(JsonNode id, String where) throws TrustPolicyException {
            if (id == null || !id.isObject()) {
                throw error(where, "must be an object");
            }
            String type = string(id, "type", where);
            try {
                switch (type) {
                    case "matchExact":
                        object(id, where, Set.of("type"), Set.of("type"));
                        return new SignedIdentity.MatchExact();
                    case "matchRepoDigestOrExact":
                        object(id, where, Set.of("type"), Set.of("type"));
                        return new SignedIdentity.MatchRepoDigestOrExact();
                    case "matchRepository":
                        object(id, where, Set.of("type"), Set.of("type"));
                        return new SignedIdentity.MatchRepository();
                    case "exactReference":
                        object(id, where, Set.of("type", "dockerReference"), Set.of("type", "dockerReference"));
                        return new SignedIdentity.ExactReference(DockerReference.parse(string(id, "dockerReference", where)));
                    case "exactRepository": {
                        object(id, where, Set.of("type", "dockerRepository"), Set.of("type", "dockerRepository"));
                        DockerReference repo = DockerReference.parse(string(id, "dockerRepository", where));
                        if (!repo.isNameOnly()) {
                            throw error(where + ".dockerRepository", "must be a repository, without tag or digest");
                        }
                        return new SignedIdentity.ExactRepository(repo);
                    }
                    case "remapIdentity":
                        object(id, where, Set.of("type", "prefix", "signedPrefix"), Set.of("type", "prefix", "signedPrefix"));
                        return new SignedIdentity.RemapIdentity(string(id, "prefix", where), string(id, "signedPrefix", where));
                    default:
                        throw error(where + ".type", "unknown signedIdentity type \"" + type + "\"");
                }
            } catch (IllegalArgumentException e) {
                throw error(where, e.getMessage());
            }
        }

        private void object(JsonNode node, String where, Set<String> allowed, Set<String> required)
                throws TrustPolicyException {
            if (!node.isObject()) {
                throw error(where, "must be an object");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw error(where, "unknown field \"" + f + "\"");
                }
            }
            for (String f : required) {
                if (!node.has(f)) {
                    throw error(where, "missing field \"" + f + "\"");
                }
            }
        }

        private String string(JsonNode node, String field, String where) throws TrustPolicyException {
            JsonNode v = node.get(field);
            if (v == null) {
                throw error(where, "missing field \"" + field + "\"");
            }
            if (!v.isTextual() || v.textValue().isEmpty()) {
                throw error(where + "." + field, "must be a non-empty string");
            }
            return v.textValue();
        }

        private TrustPolicyException error(String where, String what) {
            return new TrustPolicyException(name + ": " + where + ": " + what);
        }
    }
}
