package org.sandboxrunner.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OCI {@code linux}: namespaces, id mappings, resources, seccomp and the paths hidden or made
 * read-only inside the sandbox.
 */
public record LinuxSpec(
        Set<NamespaceType> namespaces,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        ResourcesSpec resources,
        Optional<SeccompSpec> seccomp,
        List<String> maskedPaths,
        List<String> readonlyPaths) {

    public LinuxSpec {
        namespaces = Set.copyOf(Checks.required(namespaces, "linux.namespaces"));
        if (!namespaces.contains(NamespaceType.USER)) {
            // Every other namespace is owned by the new user namespace; without it the runner would
            // hand real root capabilities to the setup code of an untrusted run.
            throw new IllegalArgumentException("linux.namespaces must include 'user'");
        }
        uidMappings = Checks.list(uidMappings, "linux.uidMappings");
        gidMappings = Checks.list(gidMappings, "linux.gidMappings");
        Checks.required(resources, "linux.resources");
        Checks.required(seccomp, "linux.seccomp");
        maskedPaths = Checks.list(maskedPaths, "linux.maskedPaths");
        readonlyPaths = Checks.list(readonlyPaths, "linux.readonlyPaths");
        maskedPaths.forEach(p -> Checks.absolutePath(p, "linux.maskedPaths[]"));
        readonlyPaths.forEach(p -> Checks.absolutePath(p, "linux.readonlyPaths[]"));
    }
}
