package org.sandboxrunner.tests.fidelity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.sandboxrunner.capabilities.Capability;
import org.sandboxrunner.capabilities.CapabilitySets;
import org.sandboxrunner.capabilities.CapabilityState;
import org.sandboxrunner.capabilities.ProcLimits;
import org.sandboxrunner.capabilities.Rlimit;
import org.sandboxrunner.capabilities.RlimitValue;
import org.sandboxrunner.capabilities.SecureBit;
import org.sandboxrunner.capabilities.SecureBits;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.RlimitSpec;

/**
 * Random valid {@link FidelityProfile}s. Each rule of a valid profile is built in rather than
 * filtered for, so every try runs:
 * <ul>
 *   <li>capabilities: each capability gets one of six places (nowhere, bounding only, bounding and
 *       permitted, and then effective, ambient or both), so bounding &supe; permitted &supe; effective
 *       and ambient &sube; permitted; inheritable is ambient (the runner's rule);</li>
 *   <li>securebits: any of the eight flags (the native stage sets them after the ambient raise, so
 *       every combination can be applied);</li>
 *   <li>ids: one to three extents per map, container ranges apart, host ranges shuffled inside
 *       100000-165535 (ids the default profile already gives the sandbox), container 0 mapped or
 *       not; uid, gid and up to four supplementary gids (in any order) picked inside them;</li>
 *   <li>rlimits: each of CPU, FSIZE, STACK, CORE, NPROC, NOFILE and AS present or not, with bounds
 *       the small programs of the test run within, and hard limits no higher than the runner's own:
 *       raising a hard limit needs CAP_SYS_RESOURCE in the initial user namespace, which a root
 *       runner may lack (setrlimit(2)).</li>
 * </ul>
 */
final class FidelityProfiles {
    private static final long HOST_FIRST = 100_000, HOST_IDS = 65_536;
    private static final long M = 1L << 20, G = 1L << 30;

    /** Where one capability goes. Listed from least to most granted, so jqwik shrinks towards less. */
    enum Place {
        NOWHERE, BOUNDING, PERMITTED, EFFECTIVE, AMBIENT, EFFECTIVE_AND_AMBIENT;

        boolean bounding() {
            return this != NOWHERE;
        }

        boolean permitted() {
            return ordinal() >= PERMITTED.ordinal();
        }

        boolean effective() {
            return this == EFFECTIVE || this == EFFECTIVE_AND_AMBIENT;
        }

        boolean ambient() {
            return this == AMBIENT || this == EFFECTIVE_AND_AMBIENT;
        }
    }

    /** A resource the test varies and the range its values come from. */
    private record Bounds(Rlimit resource, long low, long high) {}

    private static final List<Bounds> RLIMITS = List.of(
            new Bounds(Rlimit.CPU, 10, 3600),              // seconds; the script needs a fraction of one
            new Bounds(Rlimit.FSIZE, 0, G),                // the script writes no file
            new Bounds(Rlimit.STACK, M, 64 * M),
            new Bounds(Rlimit.CORE, 0, G),
            new Bounds(Rlimit.NPROC, 64, 4096),            // the init, the shell and one child at a time
            new Bounds(Rlimit.NOFILE, 16, 4096),
            new Bounds(Rlimit.AS, 512 * M, 16 * G));

    private FidelityProfiles() {}

    /**
     * @param lastCap the running kernel's last capability
     * @param runner  the runner's own limits: the sandbox inherits them and cannot raise a hard one
     */
    static Arbitrary<FidelityProfile> profiles(int lastCap, ProcLimits runner) {
        int known = Math.min(lastCap, Capability.LAST_NAMED) + 1;
        Arbitrary<CapabilityState> capabilities = Combinators.combine(
                places(known),
                Arbitraries.subsetOf(SecureBit.values()))
                .as(FidelityProfiles::capabilityState);
        Arbitrary<Ids> ids = Combinators.combine(mappings(), mappings()).flatAs((uids, gids) -> Combinators.combine(
                idIn(uids), idIn(gids), idIn(gids).set().ofMaxSize(4).map(ArrayList::new).flatMap(Arbitraries::shuffle))
                .as((uid, gid, groups) -> new Ids(uids, gids, uid, gid, groups)));
        return Combinators.combine(capabilities, ids, Arbitraries.integers().between(0, 0777), rlimits(runner))
                .as((caps, i, umask, limits) -> new FidelityProfile(caps, i.uid(), i.gid(), umask, i.groups(),
                        i.uidMaps(), i.gidMaps(), limits));
    }

    /** The id part of a profile, made together because the ids depend on the mappings. */
    private record Ids(List<IdMapping> uidMaps, List<IdMapping> gidMaps, long uid, long gid, List<Long> groups) {}

    /**
     * Each capability's place. A third of the profiles grant most capabilities, a third some, a
     * third a few: NOWHERE weighs 1, 8 or 60 against 1 for each other place.
     */
    private static Arbitrary<List<Place>> places(int capabilities) {
        return Arbitraries.of(1, 8, 60).flatMap(nowhere -> Arbitraries.frequency(
                Tuple.of(nowhere, Place.NOWHERE), Tuple.of(1, Place.BOUNDING), Tuple.of(1, Place.PERMITTED),
                Tuple.of(1, Place.EFFECTIVE), Tuple.of(1, Place.AMBIENT), Tuple.of(1, Place.EFFECTIVE_AND_AMBIENT))
                .list().ofSize(capabilities));
    }

    private static CapabilityState capabilityState(List<Place> places, Set<SecureBit> bits) {
        long bounding = 0, permitted = 0, effective = 0, ambient = 0;
        for (int cap = 0; cap < places.size(); cap++) {
            Place p = places.get(cap);
            long bit = 1L << cap;
            bounding |= p.bounding() ? bit : 0;
            permitted |= p.permitted() ? bit : 0;
            effective |= p.effective() ? bit : 0;
            ambient |= p.ambient() ? bit : 0;
        }
        return CapabilityState.of(CapabilitySets.fromBitmaps(bounding, permitted, effective, ambient, ambient),
                SecureBits.of(bits.toArray(SecureBit[]::new)));
    }

    /**
     * One to three extents: sizes up to 20000, container ranges in order with gaps (the first
     * starting at 0 or later), host ranges in a shuffled order with gaps, all inside 65536 host ids.
     */
    private static Arbitrary<List<IdMapping>> mappings() {
        Arbitrary<Long> size = Arbitraries.longs().between(1, 20_000);
        Arbitrary<Long> gap = Arbitraries.longs().between(0, 1_000);
        // Half the maps start at container id 0: the runner then sets up as root of the namespace.
        Arbitrary<Long> firstGap = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 1_000));
        return Arbitraries.integers().between(1, 3).flatMap(n -> Combinators.combine(
                size.list().ofSize(n), Combinators.combine(firstGap, gap.list().ofSize(n - 1)).as(FidelityProfiles::prepend),
                gap.list().ofSize(n), Arbitraries.shuffle(range(n)))
                .as((sizes, containerGaps, hostGaps, hostOrder) -> {
                    long[] hostStart = new long[n];
                    long host = HOST_FIRST;
                    for (int i : hostOrder) {
                        host += hostGaps.get(i);
                        hostStart[i] = host;
                        host += sizes.get(i);
                    }
                    List<IdMapping> maps = new ArrayList<>();
                    long container = 0;
                    for (int i = 0; i < n; i++) {
                        container += containerGaps.get(i);
                        maps.add(new IdMapping(container, hostStart[i], sizes.get(i)));
                        container += sizes.get(i);
                    }
                    if (host > HOST_FIRST + HOST_IDS) {
                        throw new IllegalStateException("mappings reach past the host ids: " + maps);
                    }
                    return maps;
                }));
    }

    private static List<Long> prepend(long first, List<Long> rest) {
        List<Long> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(i);
        }
        return Collections.unmodifiableList(r);
    }

    /** An id one of the extents maps; a quarter of them the extent's first (0, root, when it is mapped). */
    private static Arbitrary<Long> idIn(List<IdMapping> maps) {
        return Arbitraries.of(maps).flatMap(m -> Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(m.containerId())),
                Tuple.of(3, Arbitraries.longs().between(m.containerId(), m.containerId() + m.size() - 1))));
    }

    private static Arbitrary<List<RlimitSpec>> rlimits(ProcLimits runner) {
        List<Arbitrary<Optional<RlimitSpec>>> each = RLIMITS.stream().map(b -> rlimit(b, runner.get(b.resource()).hard())).toList();
        return Combinators.combine(each).as(specs -> specs.stream().flatMap(Optional::stream).toList());
    }

    /** Absent (the runner's own limit applies), or a hard limit within bounds and a soft one below it. */
    private static Arbitrary<Optional<RlimitSpec>> rlimit(Bounds b, RlimitValue runnerHard) {
        long high = runnerHard.isUnlimited() ? b.high() : Math.min(b.high(), runnerHard.raw());
        if (high < b.low()) {
            throw new IllegalStateException("the runner's hard " + b.resource().resourceName() + " is " + runnerHard
                    + ", below the " + b.low() + " the test's programs need");
        }
        Arbitrary<Long> value = Arbitraries.longs().between(b.low(), high);
        Arbitrary<Long> hard = runnerHard.isUnlimited()
                ? Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(RlimitSpec.UNLIMITED)), Tuple.of(3, value))
                : value;
        Arbitrary<RlimitSpec> spec = hard.flatMap(h -> {
            Arbitrary<Long> soft = h == RlimitSpec.UNLIMITED
                    ? Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(RlimitSpec.UNLIMITED)), Tuple.of(3, value))
                    : Arbitraries.longs().between(b.low(), h);
            return soft.map(s -> new RlimitSpec(b.resource().resourceName(), s, h));
        });
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Optional.empty())), Tuple.of(2, spec.map(Optional::of)));
    }
}
