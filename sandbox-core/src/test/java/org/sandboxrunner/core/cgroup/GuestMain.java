package org.sandboxrunner.core.cgroup;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs inside the cgroup v2 guest (see cgroup-v2-guest.sh), which prints what it says and passes
 * its exit status back to {@link CgroupV2GuestTest}.
 *
 * <ul>
 *   <li>{@code tests PARENT [METHOD...]}: detection must choose v2 with PARENT as the project
 *       parent, then every {@link CgroupKernelTest} (or the methods named) must pass, none
 *       skipped;</li>
 *   <li>{@code refused}: detection must refuse, naming the missing delegation.</li>
 * </ul>
 */
public final class GuestMain {
    private GuestMain() {}

    public static void main(String[] args) throws java.io.IOException {
        String uid = "uid " + java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        try {
            if (args.length >= 2 && args[0].equals("tests")) {
                CgroupSystem system = Cgroups.detect();
                check(system.version() == CgroupVersion.V2, "detected " + system.version());
                check(system.projectParents().equals(List.of(Path.of(args[1]))), "project parents " + system.projectParents());
                System.out.println("GUEST " + uid + ": cgroup v2, project parent " + args[1]);
                runKernelTests(uid, Arrays.asList(args).subList(2, args.length));
            } else if (args.length == 1 && args[0].equals("refused")) {
                try {
                    Cgroups.detect();
                    check(false, "detection accepted a cgroup that delegates nothing");
                } catch (CgroupException e) {
                    check(e.getMessage().startsWith("no writable cgroup v2 subtree: "), e.getMessage());
                    System.out.println("GUEST " + uid + ": refused: " + e.getMessage());
                }
            } else {
                check(false, "usage: GuestMain tests PARENT [METHOD...] | refused");
            }
        } catch (Exception | AssertionError e) {
            System.out.println("GUEST " + uid + " FAILED: " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void runKernelTests(String uid, List<String> methods) {
        List<DiscoverySelector> selectors = methods.isEmpty() ? List.of(selectClass(CgroupKernelTest.class))
                : methods.stream().<DiscoverySelector>map(m -> selectMethod(CgroupKernelTest.class, m)).toList();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        // Jupiter only: the jqwik engine on the classpath would try to write its database into the
        // (read-only for the user) working directory.
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                        .filters(EngineFilter.includeEngines("junit-jupiter")).build(),
                listener, new TestExecutionListener() {
                    private long started;

                    @Override
                    public void executionStarted(TestIdentifier test) {
                        started = System.nanoTime();
                    }

                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (test.isTest()) {
                            System.out.printf("GUEST   %s %s %d ms%n", result.getStatus(), test.getDisplayName(),
                                    (System.nanoTime() - started) / 1_000_000);
                        }
                    }
                });
        TestExecutionSummary summary = listener.getSummary();
        summary.getFailures().forEach(f -> {
            System.out.println("GUEST FAILED " + f.getTestIdentifier().getDisplayName() + ": " + f.getException());
            f.getException().printStackTrace(System.out);
        });
        System.out.printf("GUEST %s: CgroupKernelTest %d passed, %d failed, %d skipped, %d aborted, in %d ms%n", uid,
                summary.getTestsSucceededCount(), summary.getTotalFailureCount(), summary.getTestsSkippedCount(),
                summary.getTestsAbortedCount(), summary.getTimeFinished() - summary.getTimeStarted());
        check(summary.getTestsFoundCount() > 0 && summary.getTestsSucceededCount() == summary.getTestsFoundCount()
                && (methods.isEmpty() || summary.getTestsFoundCount() == methods.size()), "not every kernel test passed");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
