package org.sandboxrunner.policy.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Short descriptions of document values for error messages ("the string 'abc'", "a list"). */
public final class Describe {

    private static final int MAX_QUOTED = 60;

    private Describe() {}

    /** A value of a parsed tree. */
    public static String node(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "the string " + quote(node.textValue());
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        if (node.isIntegralNumber()) {
            return "the integer " + node.asText();
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
    }

    /** The parser's current token. */
    public static String token(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "the string " + quote(parser.getText());
            case VALUE_NUMBER_INT -> "the integer " + parser.getText();
            case VALUE_NUMBER_FLOAT -> "the number " + parser.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    /** A message from a parser, with control characters escaped and its length bounded. */
    public static String clean(String message) {
        String text = message == null ? "unknown error" : message;
        return escape(text, 300);
    }

    /**
     * Single-quotes a string for a message, shortened, with control and non-ASCII characters escaped
     * so a hostile document cannot forge lines in the error output.
     */
    public static String quote(String text) {
        return "'" + escape(text, MAX_QUOTED) + "'";
    }

    private static String escape(String text, int maxLength) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(text.length(), maxLength);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && !Character.isLetterOrDigit(c))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > limit) {
            out.append("...");
        }
        return out.toString();
    }
}
