package org.sandboxrunner.core.run;

import java.nio.file.Path;
import org.sandboxrunner.capabilities.KernelCapabilities;

/**
 * What the runner knows about its own host before any run: its ids (root maps the profile's ranges;
 * anyone else maps only itself), the highest capability the kernel knows, and the new-root mount point.
 */
public record HostFacts(long uid, long gid, KernelCapabilities kernel, Path newRoot) {

    public boolean root() {
        return uid == 0;
    }
}
