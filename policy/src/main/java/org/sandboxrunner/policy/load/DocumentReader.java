package org.sandboxrunner.policy.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import org.sandboxrunner.policy.ProfileError;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.ProfileFormat;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileMapper;

/**
 * Reads one YAML or JSON document into a tree while recording where each path was written, so that
 * every later error (binding, validation, composition) can name a line and column. Syntax errors,
 * duplicate keys, nulls, YAML anchors and aliases, and anything after the first document are refused
 * here, at the token that is wrong.
 */
public final class DocumentReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String source;
    private final Locations locations;
    private final JsonParser parser;
    private SourcePosition lastPosition;

    private DocumentReader(String source, JsonParser parser) {
        this.source = source;
        this.parser = parser;
        this.lastPosition = new SourcePosition(source, 1, 1);
        this.locations = new Locations(lastPosition);
    }

    /** Parses a whole document; its top level must be a mapping. */
    public static Document read(String source, byte[] bytes, ProfileFormat format) throws ProfileException {
        if (bytes.length > ProfileMapper.MAX_DOCUMENT_BYTES) {
            throw new ProfileException(new ProfileError(source, 0, 0, "", "the document is " + bytes.length
                    + " bytes; profiles are limited to " + ProfileMapper.MAX_DOCUMENT_BYTES + " bytes"));
        }
        try (JsonParser parser = ProfileMapper.parser(format, bytes)) {
            return new DocumentReader(source, parser).readDocument();
        } catch (IOException e) {
            // Only a failure to create or close the parser gets here; reading errors are located below.
            throw new ProfileException(new ProfileError(source, 0, 0, "", "cannot read: " + Describe.clean(e.getMessage())));
        }
    }

    private Document readDocument() throws ProfileException {
        try {
            JsonToken first = next();
            if (first == null) {
                throw fail(lastPosition, "", "the document is empty; a profile is a mapping that starts with apiVersion");
            }
            if (first != JsonToken.START_OBJECT) {
                throw fail(lastPosition, "", "a profile must be a mapping at the top level, got " + Describe.token(parser));
            }
            locations.put("", lastPosition);
            ObjectNode root = (ObjectNode) readValue("");
            if (next() != null) {
                throw fail(lastPosition, "", "only one document is allowed; found more content after the profile");
            }
            return new Document(source, root, locations);
        } catch (JsonParseException e) {
            throw new ProfileException(syntaxError(e));
        } catch (IOException e) {
            throw new ProfileException(new ProfileError(source, lastPosition.line(), lastPosition.column(), "",
                    "cannot read: " + Describe.clean(e.getMessage())));
        }
    }

    private JsonToken next() throws IOException {
        JsonToken token = parser.nextToken();
        if (token != null) {
            lastPosition = position(parser.currentTokenLocation());
        }
        return token;
    }

    private JsonNode readValue(String path) throws IOException, ProfileException {
        if (parser instanceof YAMLParser yaml && (yaml.isCurrentAlias() || yaml.getCurrentAnchor() != null)) {
            throw fail(lastPosition, path, "YAML anchors and aliases are not supported; write the value out in full");
        }
        return switch (parser.currentToken()) {
            case START_OBJECT -> readObject(path);
            case START_ARRAY -> readArray(path);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> throw fail(lastPosition, path, "null is not allowed here: write a value, or leave the key out");
            default -> throw fail(lastPosition, path, "unsupported value " + Describe.token(parser)
                    + " (binary and tagged values are not supported)");
        };
    }

    private ObjectNode readObject(String path) throws IOException, ProfileException {
        ObjectNode node = NODES.objectNode();
        while (nextField(node, path) != JsonToken.END_OBJECT) {
            String name = parser.currentName();
            String fieldPath = DocPaths.field(path, name);
            // The key is where a reader looks for a field, so the field is located at its key.
            locations.put(fieldPath, lastPosition);
            next();
            node.set(name, readValue(fieldPath));
        }
        return node;
    }

    /** The next token inside an object, turning the parser's duplicate-key refusal into a located error. */
    private JsonToken nextField(ObjectNode node, String path) throws IOException, ProfileException {
        try {
            return next();
        } catch (JsonParseException e) {
            // STRICT_DUPLICATE_DETECTION refuses the repeated key before the reader sees it.
            String name = parser.getParsingContext().getCurrentName();
            if (name == null || !node.has(name) || !e.getOriginalMessage().startsWith("Duplicate field")) {
                throw e;
            }
            String fieldPath = DocPaths.field(path, name);
            SourcePosition first = locations.locate(fieldPath);
            throw fail(position(e.getLocation()), fieldPath, "duplicate key " + Describe.quote(name)
                    + " (first written at line " + first.line() + ", column " + first.column() + ")");
        }
    }

    private ArrayNode readArray(String path) throws IOException, ProfileException {
        ArrayNode node = NODES.arrayNode();
        for (int i = 0; next() != JsonToken.END_ARRAY; i++) {
            String elementPath = DocPaths.index(path, i);
            locations.put(elementPath, lastPosition);
            node.add(readValue(elementPath));
        }
        return node;
    }

    private SourcePosition position(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return lastPosition;
        }
        return new SourcePosition(source, location.getLineNr(), Math.max(1, location.getColumnNr()));
    }

    private ProfileException fail(SourcePosition at, String path, String message) {
        return new ProfileException(new ProfileError(source, at.line(), at.column(), path, message));
    }

    private ProfileError syntaxError(JsonParseException e) {
        if (e instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            String context = yaml.getContext() == null ? "" : yaml.getContext() + ": ";
            return new ProfileError(source, mark.getLine() + 1, mark.getColumn() + 1, "",
                    "YAML syntax error: " + Describe.clean(context + yaml.getProblem()));
        }
        SourcePosition at = position(e.getLocation());
        return new ProfileError(source, at.line(), at.column(), "", "syntax error: " + Describe.clean(e.getOriginalMessage()));
    }
}
