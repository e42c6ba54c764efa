package org.sandboxrunner.policy.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.sandboxrunner.policy.ProfileFormat;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one strict Jackson configuration for profiles, applied to a JSON and a YAML mapper alike:
 * unknown properties, duplicate keys and trailing tokens are errors, no scalar is coerced into
 * another type (no "1" for 1, no 1 for "1", no 1.5 for 1), and default typing is never enabled, so
 * a document can only ever produce the wire records of {@link ProfileDocument}. The mappers stay
 * private: callers get parsers, bindings and trees, never a mapper they could reconfigure.
 */
public final class ProfileMapper {

    /** Profiles are small and shallow; anything deeper is not a profile. */
    static final int MAX_NESTING_DEPTH = 64;
    /** Longest string value accepted: paths and environment entries, not payloads. */
    static final int MAX_STRING_LENGTH = 64 * 1024;
    /** Largest document accepted, checked by the loader before parsing and by SnakeYAML. */
    public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(100)
            .build();

    private static final JsonMapper JSON = strict(JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build()));

    private static final YAMLMapper YAML = strict(YAMLMapper.builder(YAMLFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            .loaderOptions(yamlLoaderOptions())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build()));

    private ProfileMapper() {}

    private static LoaderOptions yamlLoaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_DOCUMENT_BYTES);
        options.setAllowDuplicateKeys(false);
        // Aliases are refused by the reader anyway; this keeps a billion-laughs document cheap.
        options.setMaxAliasesForCollections(10);
        return options;
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M strict(B builder) {
        return builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT,
                        DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfigDefaults(config -> {
                    for (CoercionInputShape shape : CoercionInputShape.values()) {
                        config.setCoercion(shape, CoercionAction.Fail);
                    }
                    config.setAcceptBlankAsEmpty(false);
                })
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
    }

    /** A streaming parser over a whole document in the given syntax. */
    public static JsonParser parser(ProfileFormat format, byte[] document) throws IOException {
        return (format == ProfileFormat.YAML ? YAML : JSON).createParser(document);
    }

    /**
     * Binds a tree to a wire type with the strict rules.
     *
     * @throws IOException a {@link com.fasterxml.jackson.databind.JsonMappingException} naming the
     *                     path of the first field that does not fit
     */
    public static <T> T bind(JsonNode tree, Class<T> type) throws IOException {
        return JSON.treeToValue(tree, type);
    }

    /** The tree of a wire value, as the canonical writer and the merger consume it. */
    public static JsonNode toTree(Object wireValue) {
        return JSON.valueToTree(wireValue);
    }
}
