package org.sandboxrunner.policy.load;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each path of a (possibly merged) document was written. A path with no entry of its own,
 * such as a default the user never wrote, is located at its nearest written ancestor, and in the
 * end at the start of the most derived document.
 */
public final class Locations {

    private final TreeMap<String, SourcePosition> byPath = new TreeMap<>();
    private final SourcePosition documentStart;

    public Locations(SourcePosition documentStart) {
        this.documentStart = documentStart;
    }

    public void put(String path, SourcePosition position) {
        byPath.put(path, position);
    }

    /** The position of a path, or of its nearest ancestor that was written. */
    public SourcePosition locate(String path) {
        for (String p = path; !p.isEmpty(); p = DocPaths.parent(p)) {
            SourcePosition position = byPath.get(p);
            if (position != null) {
                return position;
            }
        }
        return byPath.getOrDefault("", documentStart);
    }

    /** A copy that falls back to another document's start (the child of a merge). */
    public Locations copy(SourcePosition newDocumentStart) {
        Locations copy = new Locations(newDocumentStart);
        copy.byPath.putAll(byPath);
        return copy;
    }

    /** Drops every entry at or inside {@code prefix}. */
    public void remove(String prefix) {
        for (String path : new ArrayList<>(subtree(prefix).keySet())) {
            byPath.remove(path);
        }
    }

    /**
     * Copies the entries of {@code from} at or inside {@code fromPrefix} to the same places under
     * {@code toPrefix} (used when a child's list is appended after its parent's items).
     */
    public void copyFrom(Locations from, String fromPrefix, String toPrefix) {
        for (Map.Entry<String, SourcePosition> e : from.subtree(fromPrefix).entrySet()) {
            byPath.put(toPrefix + e.getKey().substring(fromPrefix.length()), e.getValue());
        }
    }

    private Map<String, SourcePosition> subtree(String prefix) {
        Map<String, SourcePosition> result = new TreeMap<>();
        for (Map.Entry<String, SourcePosition> e : byPath.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (DocPaths.within(e.getKey(), prefix)) {
                result.put(e.getKey(), e.getValue());
            }
        }
        return result;
    }
}
