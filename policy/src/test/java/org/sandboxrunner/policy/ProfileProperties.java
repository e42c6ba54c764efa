package org.sandboxrunner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.ListArbitrary;

/** Properties of loading and the canonical form, over random valid profiles and random garbage. */
class ProfileProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ProfileLoader loader = new ProfileLoader(BuiltinResolver.NONE);

    @Provide
    Arbitrary<Profile> profiles() {
        return ProfileArbitraries.profiles();
    }

    @Property(tries = 300)
    void loadingTheCanonicalFormGivesTheSameProfile(@ForAll("profiles") Profile profile) throws ProfileException {
        assertEquals(profile, CanonicalProfile.parse(CanonicalProfile.render(profile)));
    }

    @Property(tries = 300)
    void canonicalisationIsIdempotent(@ForAll("profiles") Profile profile) throws Exception {
        String once = CanonicalProfile.render(profile);
        String twice = CanonicalProfile.render(CanonicalProfile.parse(once));
        assertEquals(once, twice);
        // The same document as YAML with its keys in another order has the same canonical form.
        String yaml = YAML.writeValueAsString(reversed(JSON.readTree(once)));
        assertEquals(once, CanonicalProfile.render(loader.parse("p.yaml", yaml, ProfileFormat.YAML)));
    }

    /** Every mutation is either still valid or refused with located errors; nothing else escapes. */
    @Property(tries = 500)
    void mutationsGiveLocatedErrorsNeverExceptions(@ForAll("profiles") Profile profile,
                                                  @ForAll("mutations") List<Mutation> mutations,
                                                  @ForAll boolean asYaml) throws Exception {
        JsonNode tree = JSON.readTree(CanonicalProfile.render(profile));
        for (Mutation m : mutations) {
            tree = m.apply(tree);
        }
        String text = asYaml ? YAML.writeValueAsString(tree) : JSON.writeValueAsString(tree);
        assertLoadsOrLocated(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), asYaml);
    }

    @Property(tries = 500)
    void randomBytesNeverCrashTheLoader(@ForAll byte[] bytes, @ForAll boolean asYaml) {
        assertLoadsOrLocated(bytes, asYaml);
    }

    @Property(tries = 500)
    void randomYamlDocumentsNeverCrashTheLoader(@ForAll("documents") JsonNode document) throws Exception {
        assertLoadsOrLocated(YAML.writeValueAsBytes(document), true);
    }

    private void assertLoadsOrLocated(byte[] document, boolean asYaml) {
        try {
            loader.parse(asYaml ? "m.yaml" : "m.json", document, asYaml ? ProfileFormat.YAML : ProfileFormat.JSON);
        } catch (ProfileException e) {
            assertFalse(e.errors().isEmpty());
            for (ProfileError error : e.errors()) {
                assertTrue(error.line() >= 1 && error.column() >= 1, "located: " + error);
                assertFalse(error.message().isBlank(), "says what is wrong: " + error);
                assertTrue(error.format().lines().count() == 1, "one line: " + error);
            }
        }
    }

    /** One change to a document: a value replaced, a key removed or added, a list item doubled. */
    record Mutation(double where, int kind, JsonNode value) {
        JsonNode apply(JsonNode root) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode target = containers.get((int) (where * containers.size()));
            if (target instanceof ObjectNode object && object.size() > 0) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                String name = names.get(kind % names.size());
                switch (kind % 3) {
                    case 0 -> object.set(name, value);
                    case 1 -> object.remove(name);
                    default -> object.set(name + "x", value);
                }
            } else if (target instanceof ArrayNode array && array.size() > 0) {
                switch (kind % 3) {
                    case 0 -> array.set(kind % array.size(), value);
                    case 1 -> array.remove(kind % array.size());
                    default -> array.add(array.get(kind % array.size()).deepCopy());
                }
            }
            return root;
        }

        private static void collect(JsonNode node, List<JsonNode> out) {
            if (node.isContainerNode()) {
                out.add(node);
                node.elements().forEachRemaining(child -> collect(child, out));
            }
        }
    }

    @Provide
    ListArbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.doubles().between(0, 0.999).ofScale(3), Arbitraries.integers().between(0, 1000),
                scalars()).as(Mutation::new).list().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(NODES::textNode),
                Arbitraries.of("relative/path", "/", "/usr/../etc", "SCMP_ACT_NOPE", "64Q", "unlimited", "CAP_x", "user",
                        "bind", "").map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.of(-1L, 0L, 1L, 4294967295L, 4294967296L).map(NODES::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.ZERO, java.math.BigInteger.TEN.pow(30))
                        .map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.objectNode()),
                Arbitraries.just(NODES.arrayNode()));
    }

    @Provide
    Arbitrary<JsonNode> documents() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("apiVersion", "process", "linux", "user", "uid",
                "seccomp", "syscalls", "names", "args", "mounts", "limits", "extends", "append", "loosen", "namespaces",
                "type", "rlimits", "filesystem", "hostReadOnly"), Arbitraries.strings().ofMaxLength(8));
        return node(keys, 4).map(n -> {
            if (n instanceof ObjectNode object && Math.abs(n.hashCode()) % 2 == 0) {
                object.put("apiVersion", Profile.API_VERSION);
            }
            return n;
        });
    }

    private static Arbitrary<JsonNode> node(Arbitrary<String> keys, int depth) {
        if (depth == 0) {
            return scalars();
        }
        Arbitrary<JsonNode> child = node(keys, depth - 1);
        Arbitrary<JsonNode> object = Arbitraries.maps(keys, child).ofMaxSize(5).map(ProfileProperties::object);
        Arbitrary<JsonNode> array = child.list().ofMaxSize(4).map(list -> {
            ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, object), net.jqwik.api.Tuple.of(1, array), net.jqwik.api.Tuple.of(1, scalars()));
    }

    private static JsonNode object(Map<String, JsonNode> fields) {
        ObjectNode o = NODES.objectNode();
        fields.forEach(o::set);
        return o;
    }

    private static JsonNode reversed(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            ObjectNode out = NODES.objectNode();
            for (int i = names.size() - 1; i >= 0; i--) {
                out.set(names.get(i), reversed(node.get(names.get(i))));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(child -> out.add(reversed(child)));
            return out;
        }
        return node;
    }
}
