package org.sandboxrunner.policy.wire;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.sandboxrunner.policy.CpuSpec;
import org.sandboxrunner.policy.Degradation;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.LinuxSpec;
import org.sandboxrunner.policy.MountSpec;
import org.sandboxrunner.policy.ProcessSpec;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.ResourcesSpec;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;
import org.sandboxrunner.policy.wire.WireScalars.RlimitValue;
import org.sandboxrunner.policy.wire.WireScalars.Size;
import org.sandboxrunner.policy.wire.WireScalars.Uint64;
import org.sandboxrunner.policy.wire.WireScalars.Umask;

/**
 * Writes a resolved profile back as a complete document: every field present (defaults included),
 * nothing left to a default, no {@code extends}. Loading the result gives the same profile.
 */
public final class DomainToWire {
    private DomainToWire() {}

    public static ProfileDocument of(Profile p) {
        return new ProfileDocument(p.apiVersion(), p.name(), p.description(), null, null, null, p.hostname(),
                process(p.process()), linux(p.linux()),
                p.filesystem().mounts().stream().map(DomainToWire::mount).toList(),
                new ProfileDocument.Filesystem(p.filesystem().hostReadOnly(), p.filesystem().box(),
                        new Size(p.filesystem().tmpSizeBytes())),
                limits(p),
                p.image().map(i -> new ProfileDocument.Image(i.reference(), i.trustPolicy())).orElse(null),
                new ProfileDocument.Audit(p.audit().log().orElse(null), p.audit().signingKey().orElse(null)),
                p.degrade().stream().sorted().map(Degradation::profileName).toList());
    }

    private static ProfileDocument.Process process(ProcessSpec p) {
        var caps = p.capabilities();
        return new ProfileDocument.Process(
                new ProfileDocument.User(p.user().uid(), p.user().gid(), new Umask(p.user().umask()), p.user().additionalGids()),
                p.env(), p.cwd(),
                new ProfileDocument.Capabilities(caps.bounding(), caps.effective(), caps.inheritable(), caps.permitted(),
                        caps.ambient()),
                p.rlimits().stream().map(r -> new ProfileDocument.Rlimit(r.type(), new RlimitValue(r.soft()),
                        new RlimitValue(r.hard()))).toList(),
                p.noNewPrivileges(), p.securebits());
    }

    private static ProfileDocument.Linux linux(LinuxSpec l) {
        return new ProfileDocument.Linux(
                l.namespaces().stream().sorted(Comparator.naturalOrder())
                        .map(n -> new ProfileDocument.Namespace(n.ociName(), null)).toList(),
                mappings(l.uidMappings()), mappings(l.gidMappings()), resources(l.resources()),
                l.seccomp().map(DomainToWire::seccomp).orElse(null), l.maskedPaths(), l.readonlyPaths());
    }

    private static List<ProfileDocument.IdMapping> mappings(List<IdMapping> mappings) {
        return mappings.stream().map(m -> new ProfileDocument.IdMapping(m.containerId(), m.hostId(), m.size())).toList();
    }

    private static ProfileDocument.Resources resources(ResourcesSpec r) {
        ProfileDocument.Memory memory = r.memoryLimitBytes().isEmpty() ? null
                : new ProfileDocument.Memory(size(r.memoryLimitBytes()), size(r.memorySwapBytes()));
        return new ProfileDocument.Resources(memory, r.cpu().map(DomainToWire::cpu).orElse(null),
                r.pidsLimit().isEmpty() ? null : new ProfileDocument.Pids(r.pidsLimit().getAsLong()),
                r.blockIoWeight().isEmpty() ? null : new ProfileDocument.BlockIo(r.blockIoWeight().getAsLong()));
    }

    private static ProfileDocument.Cpu cpu(CpuSpec c) {
        return new ProfileDocument.Cpu(boxed(c.quota()), boxed(c.period()), boxed(c.shares()), c.cpus().orElse(null),
                c.mems().orElse(null));
    }

    private static ProfileDocument.Seccomp seccomp(SeccompSpec s) {
        return new ProfileDocument.Seccomp(s.defaultAction().ociName(), boxed(s.defaultErrnoRet()), s.architectures(),
                s.flags(), s.syscalls().stream().map(DomainToWire::rule).toList(),
                s.unknownSyscalls().name().toLowerCase(Locale.ROOT));
    }

    private static ProfileDocument.Syscall rule(SyscallRule r) {
        return new ProfileDocument.Syscall(r.names(), r.action().ociName(), boxed(r.errnoRet()),
                r.args().stream().map(DomainToWire::arg).toList());
    }

    private static ProfileDocument.Arg arg(SeccompArg a) {
        return new ProfileDocument.Arg((long) a.index(), new Uint64(a.value()), new Uint64(a.valueTwo()), a.op().name());
    }

    private static ProfileDocument.Mount mount(MountSpec m) {
        return new ProfileDocument.Mount(m.destination(), m.type(), m.source(), m.options());
    }

    private static ProfileDocument.Limits limits(Profile p) {
        var l = p.limits();
        return new ProfileDocument.Limits(boxed(l.cpuTimeMs()), boxed(l.wallTimeMs()),
                l.outputBytes().isEmpty() ? null : size(l.outputBytes()));
    }

    private static Size size(OptionalLong value) {
        return value.isEmpty() ? null : new Size(value.getAsLong());
    }

    private static Long boxed(OptionalLong value) {
        return value.isEmpty() ? null : value.getAsLong();
    }

    private static Long boxed(OptionalInt value) {
        return value.isEmpty() ? null : (long) value.getAsInt();
    }
}
