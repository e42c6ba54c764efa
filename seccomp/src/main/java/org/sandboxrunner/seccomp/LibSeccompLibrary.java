package org.sandboxrunner.seccomp;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * libseccomp 2.5 entry points, bound by JNA. Only the array form of rule_add is bound: the variadic
 * {@code seccomp_rule_add} cannot be called portably through a foreign-function layer. {@code int}
 * stands for {@code uint32_t}; functions that fail return a negative errno.
 */
interface LibSeccompLibrary extends Library {
    /** The runtime soname; Debian ships no unversioned symlink without libseccomp-dev. */
    String SONAME = "libseccomp.so.2";

    Pointer seccomp_init(int defaultAction);

    void seccomp_release(Pointer ctx);

    int seccomp_arch_native();

    int seccomp_arch_resolve_name(String name);

    int seccomp_arch_exist(Pointer ctx, int archToken);

    int seccomp_arch_add(Pointer ctx, int archToken);

    int seccomp_attr_set(Pointer ctx, int attribute, int value);

    int seccomp_attr_get(Pointer ctx, int attribute, IntByReference value);

    int seccomp_syscall_resolve_name_arch(int archToken, String name);

    /** Returns a malloc(3)ed string the caller frees, or NULL. */
    Pointer seccomp_syscall_resolve_num_arch(int archToken, int number);

    int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCount, ScmpArgCmp[] args);

    int seccomp_export_bpf(Pointer ctx, int fd);

    int seccomp_export_pfc(Pointer ctx, int fd);

    /** Points at a static {@code struct scmp_version {unsigned int major, minor, micro;}}. */
    Pointer seccomp_version();
}
