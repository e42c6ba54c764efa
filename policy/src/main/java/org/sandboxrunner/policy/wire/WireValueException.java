package org.sandboxrunner.policy.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A value of the right JSON type but outside what the field accepts, reported by the wire scalars'
 * readers with a complete message; Jackson adds the path as the exception travels up.
 */
public final class WireValueException extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    WireValueException(JsonParser parser, String message) {
        super(parser, message);
    }
}
