package org.sandboxrunner.policy;

/** OCI {@code linux.uidMappings[]}/{@code gidMappings[]}: a range of ids, as in uid_map(5). */
public record IdMapping(long containerId, long hostId, long size) {

    /** ids are 32-bit; (uid_t)-1 is never a valid id (user_namespaces(7)). */
    private static final long ID_LIMIT = 0xFFFF_FFFFL;

    public IdMapping {
        Checks.nonNegative(containerId, "containerID");
        Checks.nonNegative(hostId, "hostID");
        Checks.positive(size, "size");
        if (containerId + size > ID_LIMIT || hostId + size > ID_LIMIT) {
            throw new IllegalArgumentException("id mapping " + containerId + " " + hostId + " " + size
                    + " reaches past the largest id 4294967294");
        }
    }

    public boolean mapsContainerId(long id) {
        return id >= containerId && id < containerId + size;
    }

    /** The container ids mapped, as {@code 0-65535} (or one id). */
    public String containerRange() {
        return range(containerId, size);
    }

    /** The host ids they map to, as {@code 100000-165535}. */
    public String hostRange() {
        return range(hostId, size);
    }

    private static String range(long first, long size) {
        return size == 1 ? Long.toString(first) : first + "-" + (first + size - 1);
    }

    public long toHost(long id) {
        if (!mapsContainerId(id)) {
            throw new IllegalArgumentException("id " + id + " is outside mapping " + this);
        }
        return hostId + (id - containerId);
    }
}
