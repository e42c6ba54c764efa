package org.sandboxrunner.seccomp;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.sandboxrunner.policy.SeccompOperator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** {@link LibSeccomp} through JNA, loading {@code libseccomp.so.2}. */
final class JnaLibSeccomp implements LibSeccomp {
    private final LibSeccompLibrary lib;
    private final NativeLibrary nativeLibrary;
    private final CLibrary libc;

    private JnaLibSeccomp(LibSeccompLibrary lib, NativeLibrary nativeLibrary, CLibrary libc) {
        this.lib = lib;
        this.nativeLibrary = nativeLibrary;
        this.libc = libc;
    }

    static JnaLibSeccomp load() {
        try {
            NativeLibrary nativeLibrary = NativeLibrary.getInstance(LibSeccompLibrary.SONAME);
            LibSeccompLibrary lib = Native.load(LibSeccompLibrary.SONAME, LibSeccompLibrary.class);
            return new JnaLibSeccomp(lib, nativeLibrary, CLibrary.INSTANCE);
        } catch (UnsatisfiedLinkError e) {
            throw new SeccompException("cannot load " + LibSeccompLibrary.SONAME
                    + " (on Debian: apt-get install libseccomp2): " + e.getMessage(), e);
        }
    }

    @Override
    public String version() {
        Pointer version = lib.seccomp_version();
        return version.getInt(0) + "." + version.getInt(4) + "." + version.getInt(8);
    }

    @Override
    public Optional<Path> file() {
        return MappedLibrary.of(LibSeccompLibrary.SONAME);
    }

    @Override
    public OptionalInt apiLevel() {
        // seccomp_api_get() appeared in libseccomp 2.4; probed by name rather than by version number.
        return optionalFunction("seccomp_api_get")
                .map(f -> OptionalInt.of(f.invokeInt(new Object[0])))
                .orElse(OptionalInt.empty());
    }

    @Override
    public boolean hasFunction(String name) {
        return optionalFunction(name).isPresent();
    }

    private Optional<Function> optionalFunction(String name) {
        try {
            return Optional.of(nativeLibrary.getFunction(name));
        } catch (UnsatisfiedLinkError e) {
            return Optional.empty();
        }
    }

    @Override
    public int nativeArchToken() {
        return lib.seccomp_arch_native();
    }

    @Override
    public OptionalInt archToken(String libseccompName) {
        int token = lib.seccomp_arch_resolve_name(libseccompName);
        return token == 0 ? OptionalInt.empty() : OptionalInt.of(token);
    }

    @Override
    public int resolveSyscall(int archToken, String name) {
        return lib.seccomp_syscall_resolve_name_arch(archToken, name);
    }

    @Override
    public Optional<String> syscallName(int archToken, int number) {
        Pointer name = lib.seccomp_syscall_resolve_num_arch(archToken, number);
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(name.getString(0, StandardCharsets.US_ASCII.name()));
        } finally {
            libc.free(name);
        }
    }

    @Override
    public FilterContext newFilter(int defaultAction) {
        Pointer ctx = lib.seccomp_init(defaultAction);
        if (ctx == null) {
            // seccomp_init reports no errno: it fails only for an action libseccomp rejects or on ENOMEM.
            throw new SeccompException("seccomp_init(" + SeccompActions.describe(defaultAction)
                    + ") failed: libseccomp " + version() + " rejects this default action");
        }
        return new Context(ctx);
    }

    @Override
    public String strerror(int errno) {
        return libc.strerror(errno);
    }

    /** A negative return from libseccomp is -errno; anything else is success. */
    private int check(int rc, String call) {
        if (rc < 0) {
            throw new LibSeccompException(call, -rc, libc.strerror(-rc));
        }
        return rc;
    }

    /** The scmp_compare value of seccomp.h for an OCI operator. */
    static int compareOp(SeccompOperator op) {
        return switch (op) {
            case SCMP_CMP_NE -> 1;
            case SCMP_CMP_LT -> 2;
            case SCMP_CMP_LE -> 3;
            case SCMP_CMP_EQ -> 4;
            case SCMP_CMP_GE -> 5;
            case SCMP_CMP_GT -> 6;
            case SCMP_CMP_MASKED_EQ -> 7;
        };
    }

    private final class Context implements FilterContext {
        private Pointer ctx;

        Context(Pointer ctx) {
            this.ctx = ctx;
        }

        private Pointer ctx() {
            if (ctx == null) {
                throw new IllegalStateException("libseccomp filter context is already released");
            }
            return ctx;
        }

        @Override
        public boolean hasArch(int archToken) {
            int rc = lib.seccomp_arch_exist(ctx(), archToken);
            if (rc == 0) {
                return true;
            }
            // -EEXIST is the documented "not in this filter" answer.
            if (rc == -Errno.EEXIST) {
                return false;
            }
            check(rc, "seccomp_arch_exist(" + Integer.toUnsignedString(archToken) + ")");
            return false;
        }

        @Override
        public void addArch(int archToken, String label) {
            check(lib.seccomp_arch_add(ctx(), archToken), "seccomp_arch_add(" + label + ")");
        }

        @Override
        public void setAttribute(FilterAttribute attribute, int value) {
            check(lib.seccomp_attr_set(ctx(), attribute.value(), value),
                    "seccomp_attr_set(" + attribute + ", " + Integer.toUnsignedString(value) + ")");
        }

        @Override
        public int attribute(FilterAttribute attribute) {
            IntByReference value = new IntByReference();
            check(lib.seccomp_attr_get(ctx(), attribute.value(), value), "seccomp_attr_get(" + attribute + ")");
            return value.getValue();
        }

        @Override
        public void addRule(String syscallName, int syscall, int action, List<ArgCondition> conditions) {
            ScmpArgCmp[] array = conditions.isEmpty() ? null : ScmpArgCmp.array(conditions.size());
            for (int i = 0; i < conditions.size(); i++) {
                ArgCondition condition = conditions.get(i);
                array[i].arg = condition.index();
                array[i].op = compareOp(condition.op());
                array[i].datumA = condition.datumA();
                array[i].datumB = condition.datumB();
                array[i].write();
            }
            String call = "seccomp_rule_add_array(" + syscallName + ", " + SeccompActions.describe(action)
                    + (conditions.isEmpty() ? "" : ", " + conditions.stream().map(ArgCondition::toString)
                            .collect(Collectors.joining(" && ")))
                    + ")";
            check(lib.seccomp_rule_add_array(ctx(), action, syscall, conditions.size(), array), call);
        }

        @Override
        public byte[] exportBpf() {
            try (MemFd memfd = MemFd.create(libc, "seccomp-bpf")) {
                check(lib.seccomp_export_bpf(ctx(), memfd.fd()), "seccomp_export_bpf(memfd)");
                return memfd.readAll();
            }
        }

        @Override
        public String exportPfc() {
            try (MemFd memfd = MemFd.create(libc, "seccomp-pfc")) {
                check(lib.seccomp_export_pfc(ctx(), memfd.fd()), "seccomp_export_pfc(memfd)");
                return new String(memfd.readAll(), StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            if (ctx != null) {
                lib.seccomp_release(ctx);
                ctx = null;
            }
        }
    }
}
