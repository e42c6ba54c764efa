package org.sandboxrunner.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the caller says happened; {@link AuditLog} adds sequence number, chain hash, time, id and
 * actor. Immutable: {@code details} is copied in and out.
 *
 * @param type dotted lower-case event type, for example {@code run.outcome} or {@code step.seccomp}
 * @param action what was attempted, for example {@code load-profile}
 * @param result whether it succeeded
 * @param reason why it failed, or what it decided; empty when there is nothing to say
 * @param object what the event is about
 * @param details type-specific fields (observed state, resource figures, denied syscalls)
 */
public record AuditEvent(String type, String action, AuditResult result, String reason, AuditObject object,
        ObjectNode details) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*");
    private static final int MAX_NAME_LENGTH = 64;

    public AuditEvent {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(reason, "reason (use \"\" for none)");
        Objects.requireNonNull(object, "object (use AuditObject.NONE for none)");
        Objects.requireNonNull(details, "details (use an empty object for none)");
        if (type == null || type.length() > MAX_NAME_LENGTH || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("event type \"" + type + "\" is not dotted lower-case words of at most "
                    + MAX_NAME_LENGTH + " characters, like run.outcome");
        }
        if (action == null || action.isBlank() || action.length() > MAX_NAME_LENGTH
                || action.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("event action \"" + action + "\" must be 1 to " + MAX_NAME_LENGTH
                    + " characters without control characters");
        }
        details = details.deepCopy();
    }

    /** A successful action with no reason. */
    public static AuditEvent success(String type, String action, AuditObject object, ObjectNode details) {
        return new AuditEvent(type, action, AuditResult.SUCCESS, "", object, details);
    }

    /** A failed action and the sentence that says why. */
    public static AuditEvent failure(String type, String action, String reason, AuditObject object, ObjectNode details) {
        return new AuditEvent(type, action, AuditResult.FAILURE, reason, object, details);
    }

    /** A fresh empty details object to fill before building an event. */
    public static ObjectNode newDetails() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public ObjectNode details() {
        return details.deepCopy();
    }
}
