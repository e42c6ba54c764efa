package org.sandboxrunner.policy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** OCI {@code linux.namespaces[].type} values. */
public enum NamespaceType {
    USER("user"),
    PID("pid"),
    MOUNT("mount"),
    IPC("ipc"),
    UTS("uts"),
    NETWORK("network"),
    CGROUP("cgroup");

    private final String ociName;

    NamespaceType(String ociName) {
        this.ociName = ociName;
    }

    public String ociName() {
        return ociName;
    }

    public static NamespaceType fromOciName(String name) {
        for (NamespaceType type : values()) {
            if (type.ociName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown namespace type '" + name + "', expected one of "
                + Arrays.stream(values()).map(NamespaceType::ociName).collect(Collectors.joining(", ")));
    }
}
