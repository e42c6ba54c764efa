package org.sandboxrunner.capabilities;

/**
 * What {@code execve(2)} makes of a process's capability state when the program it runs has no
 * file capabilities and no set-user-ID or set-group-ID bit, which is what a sandboxed workload
 * should run. capabilities(7), "Transformation of capabilities during execve()":
 * <pre>
 *   P'(ambient)     = (file is privileged) ? 0 : P(ambient)
 *   P'(permitted)   = (P(inheritable) &amp; F(inheritable)) | (F(permitted) &amp; P(bounding)) | P'(ambient)
 *   P'(effective)   = F(effective) ? P'(permitted) : P'(ambient)
 *   P'(inheritable) = P(inheritable)
 *   P'(bounding)    = P(bounding)
 * </pre>
 * A plain program has empty file sets, except for root: unless {@link SecureBit#NOROOT} is set, a
 * real or effective uid of 0 makes F(inheritable) and F(permitted) notionally all ones, and an
 * effective uid of 0 makes F(effective) notionally set ("Capabilities and execution of programs by
 * root"). The kernel does not count that as a privileged file, so ambient is kept. With
 * {@code no_new_privs} set, execve grants nothing the process did not already permit: the kernel
 * intersects the first two terms of P'(permitted) with P(permitted) before it adds the ambient set
 * ({@code cap_bprm_creds_from_file} in security/commoncap.c). {@link SecureBit#KEEP_CAPS} is
 * cleared by every execve.
 */
public final class ExecveTransition {
    /** The file sets root's programs are notionally given: every bit. */
    private static final CapabilitySet ALL_ONES = new CapabilitySet(-1L);

    private ExecveTransition() {
    }

    /**
     * The state a validated state becomes: {@link #sets} and {@link #securebits} together.
     *
     * @return the state the program starts with; still valid under the same inheritable rule
     */
    public static CapabilityState apply(CapabilityState before, long realUid, long effectiveUid, boolean noNewPrivs) {
        return new CapabilityState(sets(before.sets(), before.securebits(), realUid, effectiveUid, noNewPrivs),
                securebits(before.securebits()), before.inheritableRule());
    }

    /**
     * The five sets after execve, from any sets before it (valid or not: the kernel's own state
     * need not follow a profile's rules).
     *
     * @param securebits the securebits at execve (only {@link SecureBit#NOROOT} matters here)
     * @param realUid the real uid at execve, as seen in the process's own user namespace
     * @param effectiveUid the effective uid at execve, likewise (uid 0 there is "root" to the kernel)
     * @param noNewPrivs whether {@code no_new_privs} is set at execve
     */
    public static CapabilitySets sets(
            CapabilitySets before, SecureBits securebits, long realUid, long effectiveUid, boolean noNewPrivs) {
        boolean rootIsSpecial = !securebits.contains(SecureBit.NOROOT);
        boolean effectiveRoot = rootIsSpecial && effectiveUid == 0;
        boolean anyRoot = effectiveRoot || (rootIsSpecial && realUid == 0);

        CapabilitySet fileSets = anyRoot ? ALL_ONES : CapabilitySet.EMPTY;
        CapabilitySet ambient = before.ambient();
        CapabilitySet fromFile = before.inheritable().intersect(fileSets).union(fileSets.intersect(before.bounding()));
        CapabilitySet permitted = (noNewPrivs ? fromFile.intersect(before.permitted()) : fromFile).union(ambient);
        CapabilitySet effective = effectiveRoot ? permitted : ambient;
        return new CapabilitySets(before.bounding(), permitted, effective, before.inheritable(), ambient);
    }

    /** The securebits after execve: {@link SecureBit#KEEP_CAPS} cleared, the rest kept. */
    public static SecureBits securebits(SecureBits before) {
        return before.without(SecureBit.KEEP_CAPS);
    }
}
