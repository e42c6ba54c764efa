package org.sandboxrunner.policy;

import java.util.List;

/**
 * OCI {@code mounts[]}: a bind ({@code type: bind}, options {@code rbind}/{@code ro}/{@code rw}) or a
 * tmpfs ({@code type: tmpfs}, options such as {@code size=64m}) inside the sandbox.
 */
public record MountSpec(String destination, String type, String source, List<String> options) {

    public MountSpec {
        Checks.absolutePath(destination, "mounts[].destination");
        Checks.required(type, "mounts[].type");
        Checks.required(source, "mounts[].source");
        options = Checks.list(options, "mounts[].options");
        if (type.equals("bind")) {
            Checks.absolutePath(source, "mounts[].source of a bind");
        }
    }

    public boolean readOnly() {
        return options.contains("ro");
    }
}
