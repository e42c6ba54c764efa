package org.sandboxrunner.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The wire form of an audit line: one JSON object with a fixed field order, written once and never
 * re-serialised. Decoding is strict (duplicate keys, unknown or missing fields, trailing tokens are
 * errors) and then re-encodes the record and demands the same bytes, so every accepted line has
 * exactly one spelling and an edit that keeps the JSON valid is still caught at that line.
 */
public final class AuditLines {

    /** No line, newline included, may exceed 64 KiB: readers can then bound their buffers. */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final List<String> FIELDS = List.of(
            "seq", "prev", "time", "id", "type", "actor", "object", "action", "result", "reason", "details");
    private static final List<String> ACTOR_FIELDS = List.of("uid", "user", "pid", "version");
    private static final List<String> OBJECT_FIELDS = List.of(
            "runId", "profile", "profileSha256", "imageDigest", "signerKeyId", "command");

    private static final JsonMapper MAPPER = StrictJson.newMapper();

    private AuditLines() {
    }

    /** RFC 3339 in UTC with exactly six fraction digits. */
    public static String formatTime(Instant time) {
        return TIME.format(time);
    }

    /**
     * The line's bytes, without the newline.
     *
     * @throws LineTooLongException when the line and its newline exceed {@link #MAX_LINE_BYTES}
     */
    public static byte[] encode(AuditRecord record) throws LineTooLongException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("seq", record.seq());
            json.writeStringField("prev", record.prev());
            json.writeStringField("time", formatTime(record.time()));
            json.writeStringField("id", record.id());
            AuditEvent event = record.event();
            json.writeStringField("type", event.type());
            Actor actor = record.actor();
            json.writeObjectFieldStart("actor");
            json.writeNumberField("uid", actor.uid());
            json.writeStringField("user", actor.user());
            json.writeNumberField("pid", actor.pid());
            json.writeStringField("version", actor.version());
            json.writeEndObject();
            AuditObject object = event.object();
            json.writeObjectFieldStart("object");
            json.writeStringField("runId", object.runId());
            json.writeStringField("profile", object.profile());
            json.writeStringField("profileSha256", object.profileSha256());
            json.writeStringField("imageDigest", object.imageDigest());
            json.writeStringField("signerKeyId", object.signerKeyId());
            json.writeArrayFieldStart("command");
            for (String arg : object.command()) {
                json.writeString(arg);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeStringField("action", event.action());
            json.writeStringField("result", event.result().wire());
            json.writeStringField("reason", event.reason());
            json.writeFieldName("details");
            json.writeTree(event.details());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        if (out.size() + 1 > MAX_LINE_BYTES) {
            throw new LineTooLongException("audit event " + record.event().type() + " (" + record.event().action()
                    + ") serialises to " + (out.size() + 1) + " bytes with its newline, over the " + MAX_LINE_BYTES
                    + "-byte line limit; shorten its details");
        }
        return out.toByteArray();
    }

    /**
     * Reads one line (without its newline).
     *
     * @throws AuditFormatException naming the field that is wrong, or saying the line is not in the
     *         writer's exact form
     */
    public static AuditRecord decode(byte[] line) throws AuditFormatException {
        if (line.length + 1 > MAX_LINE_BYTES) {
            throw new AuditFormatException("line has " + (line.length + 1) + " bytes, over the " + MAX_LINE_BYTES + "-byte limit");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AuditFormatException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory failed", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new AuditFormatException("not a JSON object");
        }
        AuditRecord record;
        try {
            requireFields("the line", tree, FIELDS);
            JsonNode actor = tree.get("actor");
            requireFields("actor", actor, ACTOR_FIELDS);
            JsonNode object = tree.get("object");
            requireFields("object", object, OBJECT_FIELDS);
            JsonNode details = tree.get("details");
            if (!details.isObject()) {
                throw new AuditFormatException("details is not an object");
            }
            AuditEvent event = new AuditEvent(text(tree, "type"), text(tree, "action"),
                    AuditResult.fromWire(text(tree, "result")), text(tree, "reason"),
                    new AuditObject(optionalText(object, "runId"), optionalText(object, "profile"),
                            optionalText(object, "profileSha256"), optionalText(object, "imageDigest"),
                            optionalText(object, "signerKeyId"), strings(object, "command")),
                    (ObjectNode) details);
            record = new AuditRecord(integer(tree, "seq"), text(tree, "prev"), time(text(tree, "time")), text(tree, "id"),
                    new Actor(integer(actor, "uid"), text(actor, "user"), integer(actor, "pid"), text(actor, "version")),
                    event);
        } catch (IllegalArgumentException e) {
            throw new AuditFormatException(e.getMessage());
        }
        byte[] canonical;
        try {
            canonical = encode(record);
        } catch (LineTooLongException e) {
            throw new AuditFormatException(e.getMessage());
        }
        if (!Arrays.equals(canonical, line)) {
            throw new AuditFormatException("valid JSON but not as the writer writes it (spacing, escapes or number"
                    + " spelling differ)");
        }
        return record;
    }

    private static void requireFields(String where, JsonNode node, List<String> expected) throws AuditFormatException {
        if (node == null || !node.isObject()) {
            throw new AuditFormatException(where + " is not a JSON object");
        }
        List<String> found = new ArrayList<>();
        node.fieldNames().forEachRemaining(found::add);
        if (!found.equals(expected)) {
            throw new AuditFormatException(where + " has fields " + found + "; expected exactly " + expected + " in that order");
        }
    }

    private static String text(JsonNode node, String field) throws AuditFormatException {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new AuditFormatException(field + " is not a string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field) throws AuditFormatException {
        return node.get(field).isNull() ? null : text(node, field);
    }

    private static long integer(JsonNode node, String field) throws AuditFormatException {
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new AuditFormatException(field + " is not an integer");
        }
        return value.longValue();
    }

    private static List<String> strings(JsonNode node, String field) throws AuditFormatException {
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw new AuditFormatException(field + " is not an array");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new AuditFormatException(field + " has an element that is not a string");
            }
            result.add(element.textValue());
        }
        return result;
    }

    private static Instant time(String value) throws AuditFormatException {
        try {
            return Instant.from(TIME.parse(value));
        } catch (DateTimeParseException e) {
            throw new AuditFormatException("time \"" + value + "\" is not RFC 3339 UTC with six fraction digits");
        }
    }
}
