package org.sandboxrunner.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a denied system call is for, so an explanation can say "mounting" rather than list names. */
final class SyscallGroups {
    private SyscallGroups() {}

    private static final Map<String, String> GROUP_OF = build(
            "creating or joining namespaces", List.of("unshare", "setns", "clone", "clone3"),
            "mounting and changing the root", List.of("mount", "umount", "umount2", "pivot_root", "move_mount",
                    "open_tree", "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr", "chroot"),
            "tracing or reading other processes", List.of("ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
                    "pidfd_getfd", "process_madvise"),
            "BPF and kernel observation", List.of("bpf", "perf_event_open", "lookup_dcookie", "syslog"),
            "kernel keyrings", List.of("keyctl", "add_key", "request_key"),
            "io_uring and userfaultfd", List.of("io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd"),
            "kernel and system administration", List.of("kexec_load", "kexec_file_load", "init_module", "finit_module",
                    "delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "settimeofday",
                    "clock_settime", "adjtimex", "sethostname", "setdomainname", "iopl", "ioperm"),
            "file locks (a side channel between sandboxes)", List.of("flock", "fcntl"),
            "socket families", List.of("socket"),
            "terminal and device control", List.of("ioctl"),
            "execution domain", List.of("personality"));

    static String of(String syscall) {
        return GROUP_OF.getOrDefault(syscall, "other");
    }

    /** Group names in the order explanations list them. */
    static List<String> order() {
        List<String> groups = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(GROUP_OF.values()));
        groups.add("other");
        return groups;
    }

    private static Map<String, String> build(Object... groupsAndNames) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < groupsAndNames.length; i += 2) {
            for (Object name : (List<?>) groupsAndNames[i + 1]) {
                map.put((String) name, (String) groupsAndNames[i]);
            }
        }
        return map;
    }
}
