package org.sandboxrunner.capabilities;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code #define NAME number} lines from the kernel's UAPI headers installed on this machine (linux-libc-dev). */
final class Headers {
    private Headers() {
    }

    /** Every {@code #define} of a name starting with {@code prefix} to a decimal number, in file order. */
    static Map<String, Integer> numericDefines(String header, String prefix) throws IOException {
        Pattern define = Pattern.compile("^#\\s*define\\s+(" + Pattern.quote(prefix) + "\\w+)\\s+(\\d+)\\b", Pattern.MULTILINE);
        Matcher matcher = define.matcher(Files.readString(Path.of("/usr/include", header)));
        Map<String, Integer> defines = new LinkedHashMap<>();
        while (matcher.find()) {
            defines.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
        }
        return defines;
    }
}
