package org.sandboxrunner.core.launch;

import org.sandboxrunner.core.nativeio.Fd;

/**
 * The workload's standard streams as the runner opened them. The caller owns the descriptors.
 * stdout and stderr are destinations: the native supervisor relays into them with the output cap.
 */
public record Stdio(Fd in, Fd out, Fd err) {}
