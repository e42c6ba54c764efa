package org.sandboxrunner.core.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one strict mapper for trust material (policy files, signature envelopes, signed payloads): unknown
 * properties, duplicate keys, trailing tokens, comments and nulls for primitives are all errors, and no
 * type information is ever taken from the input.
 */
final class StrictJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** Reads a value of a wire type; the exception message says where in the input the problem is. */
    static <T> T read(byte[] json, Class<T> type, String what) throws TrustException {
        try {
            T value = MAPPER.readerFor(type).readValue(json);
            if (value == null) {
                throw new TrustException(what + " is JSON null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new TrustException(what + " is not valid: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new TrustException(what + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Reads a JSON tree (duplicate keys and trailing tokens still refused). */
    static JsonNode tree(byte[] json, String what) throws TrustException {
        return read(json, JsonNode.class, what);
    }

    private StrictJson() {
    }
}
