package org.sandboxrunner.core.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The OCI wire types (index, manifest, config) and the one mapper that reads them. They are kept apart
 * from the validated domain records ({@link Descriptor}, {@link ImageManifest}, {@link ImageConfig}).
 *
 * <p>Unlike the trust policy, unknown properties are ignored here: image-spec's "Extensibility" rule says
 * readers MUST NOT fail on unknown properties, and image configs carry many Docker-era fields. Duplicate
 * keys and trailing tokens are still errors: a document with two meanings is refused.
 */
final class OciJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    record DescriptorJson(String mediaType, String digest, Long size, Map<String, String> annotations,
                          PlatformJson platform, String artifactType) {
    }

    record PlatformJson(String os, String architecture, String variant) {
    }

    record IndexJson(Integer schemaVersion, String mediaType, List<DescriptorJson> manifests) {
    }

    record ManifestJson(Integer schemaVersion, String mediaType, String artifactType, DescriptorJson config,
                        List<DescriptorJson> layers, DescriptorJson subject, Map<String, String> annotations) {
    }

    record ConfigJson(String architecture, String os, String variant, ContainerConfigJson config,
                      RootfsJson rootfs) {
    }

    record ContainerConfigJson(@JsonProperty("User") String user, @JsonProperty("Env") List<String> env,
                               @JsonProperty("Entrypoint") List<String> entrypoint,
                               @JsonProperty("Cmd") List<String> cmd,
                               @JsonProperty("WorkingDir") String workingDir) {
    }

    record RootfsJson(String type, @JsonProperty("diff_ids") List<String> diffIds) {
    }

    record LayoutJson(String imageLayoutVersion) {
    }

    /** Reads one document of the given type; the message names what was being read. */
    static <T> T read(byte[] json, Class<T> type, String what) throws ImageException {
        ObjectReader reader = MAPPER.readerFor(type);
        try {
            T value = reader.readValue(json);
            if (value == null) {
                throw new ImageException(what + " is JSON null");
            }
            return value;
        } catch (IOException e) {
            throw new ImageException(what + " is not valid JSON for its type: " + originalMessage(e), e);
        }
    }

    private static String originalMessage(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                : e.getMessage();
    }

    private OciJson() {
    }
}
