package org.sandboxrunner.capabilities;

import java.util.List;

/**
 * The state {@code capsh --print} shows, read with this module's own parsers: the permitted,
 * effective and inheritable sets from libcap's text, the bounding and ambient name lists, the
 * securebits, the uids and no_new_privs.
 */
record CapshState(CapabilitySets sets, SecureBits securebits, long uid, long euid, boolean noNewPrivs) {

    static CapshState parse(String print, KernelCapabilities kernel) {
        CapsetSets capset = CapabilityText.parse(Commands.line(print, "Current: "), kernel);
        CapabilitySet bounding = names(Commands.line(print, "Bounding set ="), kernel);
        CapabilitySet ambient = names(Commands.line(print, "Ambient set ="), kernel);
        // "Securebits: 020/0x10/5'b10000 (no-new-privs=0)": octal/hex/binary, then no_new_privs.
        String securebits = Commands.line(print, "Securebits: ");
        int mask = Integer.parseInt(securebits.split("/")[1].substring(2), 16);
        boolean noNewPrivs = securebits.endsWith("(no-new-privs=1)");
        // "uid=65534(nobody) euid=65534(nobody)"
        String[] uids = Commands.line(print, "uid=").split(" euid=");
        return new CapshState(
                new CapabilitySets(bounding, capset.permitted(), capset.effective(), capset.inheritable(), ambient),
                new SecureBits(mask), id(uids[0]), id(uids[1]), noNewPrivs);
    }

    private static CapabilitySet names(String list, KernelCapabilities kernel) {
        return list.isEmpty() ? CapabilitySet.EMPTY : OciCapabilities.parse(List.of(list.split(",")), kernel, "capsh");
    }

    private static long id(String idAndName) {
        return Long.parseLong(idAndName.substring(0, idAndName.indexOf('(')));
    }
}
