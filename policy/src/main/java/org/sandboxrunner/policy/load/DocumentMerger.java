package org.sandboxrunner.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Lays a child document over its base (its parent, or the defaults): mappings merge key by key,
 * scalars and lists replace, and a list named in the child's {@code append} gets the child's items
 * after the base's. Locations follow the values, so an error in the result points at the document
 * that wrote the value.
 */
public final class DocumentMerger {
    private DocumentMerger() {}

    public record Merged(ObjectNode tree, Locations locations) {}

    public static Merged merge(ObjectNode base, Locations baseLocations, Document child, Set<String> appendPaths) {
        ObjectNode tree = base.deepCopy();
        Locations locations = baseLocations.copy(child.locations().locate(""));
        mergeInto(tree, child.root(), "", child.locations(), locations, appendPaths);
        return new Merged(tree, locations);
    }

    private static void mergeInto(ObjectNode target, ObjectNode child, String path, Locations childLocations,
                                  Locations locations, Set<String> appendPaths) {
        locations.put(path, childLocations.locate(path));
        for (Iterator<Map.Entry<String, JsonNode>> it = child.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = DocPaths.field(path, field.getKey());
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isObject() && existing != null && existing.isObject()) {
                mergeInto((ObjectNode) existing, (ObjectNode) value, fieldPath, childLocations, locations, appendPaths);
            } else if (value.isArray() && existing != null && existing.isArray() && appendPaths.contains(fieldPath)) {
                ArrayNode list = (ArrayNode) existing;
                int offset = list.size();
                for (int i = 0; i < value.size(); i++) {
                    list.add(value.get(i).deepCopy());
                    locations.copyFrom(childLocations, DocPaths.index(fieldPath, i), DocPaths.index(fieldPath, offset + i));
                }
                locations.put(fieldPath, childLocations.locate(fieldPath));
            } else {
                target.set(field.getKey(), value.deepCopy());
                locations.remove(fieldPath);
                locations.copyFrom(childLocations, fieldPath, fieldPath);
            }
        }
    }
}
