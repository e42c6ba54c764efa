package org.sandboxrunner.policy;

import java.util.List;

/**
 * OCI {@code process}: who the workload runs as, with which privileges and environment.
 *
 * @param env             {@code KEY=VALUE} entries; the environment is exactly this (plus CLI --env)
 * @param cwd             working directory inside the sandbox
 * @param noNewPrivileges OCI {@code noNewPrivileges}; this runner only accepts {@code true}
 * @param securebits      names of securebits to set (runner addition), e.g. {@code noroot_locked}
 */
public record ProcessSpec(
        UserSpec user,
        List<String> env,
        String cwd,
        CapabilitiesSpec capabilities,
        List<RlimitSpec> rlimits,
        boolean noNewPrivileges,
        List<String> securebits) {

    public ProcessSpec {
        Checks.required(user, "process.user");
        env = Checks.list(env, "process.env");
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).indexOf('=') <= 0) {
                throw new IllegalArgumentException(
                        "process.env[" + i + "] must be KEY=VALUE, got '" + env.get(i) + "'");
            }
        }
        Checks.absolutePath(cwd, "process.cwd");
        Checks.required(capabilities, "process.capabilities");
        rlimits = Checks.list(rlimits, "process.rlimits");
        securebits = Checks.list(securebits, "process.securebits");
    }
}
