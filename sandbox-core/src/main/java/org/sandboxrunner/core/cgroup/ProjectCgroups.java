package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** What both versions do the same: naming leaves, undoing a failed creation, finding stale leaves. */
abstract sealed class ProjectCgroups implements CgroupSystem permits V1CgroupSystem, V2CgroupSystem {
    final CgroupConfig config;
    final HostView host;
    final ProcessIdentity self;

    ProjectCgroups(CgroupConfig config, HostView host, ProcessIdentity self) {
        this.config = Objects.requireNonNull(config, "config");
        this.host = Objects.requireNonNull(host, "host");
        this.self = Objects.requireNonNull(self, "self");
    }

    @Override
    public final RunCgroup create(String label, CgroupLimits limits) throws CgroupException {
        return createLeafCgroup(label, limits);
    }

    @Override
    public final SlotCgroup openSlot() {
        return new SlotCgroup(this);
    }

    final LeafCgroup createLeafCgroup(String label, CgroupLimits limits) throws CgroupException {
        LeafName.requireLabel(label);
        Objects.requireNonNull(limits, "limits");
        LeafName name = LeafName.next(label, self);
        List<Path> made = new ArrayList<>();
        try {
            return createLeaf(name, limits, made);
        } catch (CgroupException | RuntimeException e) {
            // No process is in the leaf yet, so removing the directories is all there is to undo.
            List<Path> undo = new ArrayList<>(made);
            Collections.reverse(undo);
            for (Path dir : undo) {
                try {
                    CgroupFiles.rmdir(dir);
                } catch (CgroupException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /**
     * Makes the leaf's directories (adding each to {@code made} as soon as it exists) and writes
     * the limits.
     */
    abstract LeafCgroup createLeaf(LeafName name, CgroupLimits limits, List<Path> made) throws CgroupException;

    /** A handle on an existing leaf, to kill and remove it; {@code dirs} are those that exist. */
    abstract LeafCgroup open(LeafName name, List<Path> dirs);

    @Override
    public final List<String> removeStale() throws CgroupException {
        Map<String, List<Path>> byName = new TreeMap<>();
        for (Path parent : projectParents()) {
            for (String child : CgroupFiles.children(parent)) {
                byName.computeIfAbsent(child, k -> new ArrayList<>()).add(parent.resolve(child));
            }
        }
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, List<Path>> entry : byName.entrySet()) {
            Optional<LeafName> leaf = LeafName.parse(entry.getKey());
            if (leaf.isPresent() && !leaf.get().owner().isAlive(host)) {
                open(leaf.get(), entry.getValue()).close();
                removed.add(entry.getKey());
            }
        }
        return removed;
    }
}
