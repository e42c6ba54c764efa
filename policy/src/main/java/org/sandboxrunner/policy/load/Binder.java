package org.sandboxrunner.policy.load;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileMapper;
import org.sandboxrunner.policy.wire.WireValueException;

/**
 * Binds a document tree to the wire records with the strict mapper and turns Jackson's refusal into
 * a located error in the user's terms: the path, what was found, and what would be valid.
 */
public final class Binder {
    private Binder() {}

    public static <T> T bind(JsonNode tree, Locations locations, Class<T> type) throws ProfileException {
        try {
            return ProfileMapper.bind(tree, type);
        } catch (JsonMappingException e) {
            String path = path(e.getPath());
            throw new ProfileException(Problems.error(locations, path, message(e, at(tree, e.getPath()))));
        } catch (IOException | IllegalArgumentException e) {
            throw new ProfileException(Problems.error(locations, "", "cannot read the document: "
                    + Describe.clean(e.getMessage())));
        }
    }

    private static String message(JsonMappingException e, JsonNode found) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field " + Describe.quote(unknown.getPropertyName()) + "; valid fields here: "
                    + names(unknown.getKnownPropertyIds());
        }
        if (e instanceof WireValueException) {
            return e.getOriginalMessage();
        }
        if (e.getCause() instanceof InputCoercionException || (found != null && found.isBigInteger())) {
            return Describe.node(found) + " is out of range here; expected an integer between "
                    + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + expected(mismatch.getTargetType()) + ", got " + Describe.node(found);
        }
        return Describe.clean(e.getOriginalMessage());
    }

    private static String expected(Class<?> type) {
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping";
    }

    private static String names(Collection<Object> ids) {
        return new TreeSet<>(ids.stream().map(String::valueOf).toList()).stream().collect(Collectors.joining(", "));
    }

    private static String path(List<JsonMappingException.Reference> references) {
        String path = "";
        for (JsonMappingException.Reference ref : references) {
            path = ref.getFieldName() != null ? DocPaths.field(path, ref.getFieldName()) : DocPaths.index(path, ref.getIndex());
        }
        return path;
    }

    private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> references) {
        JsonNode node = tree;
        for (JsonMappingException.Reference ref : references) {
            if (node == null) {
                return null;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        return node;
    }
}
