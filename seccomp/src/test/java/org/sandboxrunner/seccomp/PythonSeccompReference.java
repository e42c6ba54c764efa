package org.sandboxrunner.seccomp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Debian's python3-seccomp driving the same libseccomp, through src/test/resources/.../oci_seccomp_reference.py,
 * kept running for a whole property (one JSON line per section each way). /usr/bin/python3 is Debian's
 * interpreter, the one python3-seccomp is built for.
 */
final class PythonSeccompReference implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_SECONDS = 20;

    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Path script;

    record Outcome(byte[] bpf, String pfc, String error) {}

    PythonSeccompReference() {
        try {
            script = Files.createTempFile("oci_seccomp_reference", ".py");
            try (InputStream resource = PythonSeccompReference.class.getResourceAsStream("oci_seccomp_reference.py")) {
                Files.write(script, resource.readAllBytes());
            }
            process = new ProcessBuilder(PYTHON, "-u", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PYTHON + " (apt-get install python3-seccomp)", e);
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    Outcome compile(SeccompSpec spec) {
        try {
            String section = JSON.writeValueAsString(ociJson(spec));
            in.write(section + "\n");
            in.flush();
            String line = readLine(section);
            if (line == null) {
                throw new IllegalStateException("the Python reference exited (is python3-seccomp installed?)");
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("error")) {
                return new Outcome(null, null, answer.get("error").asText());
            }
            return new Outcome(Base64.getDecoder().decode(answer.get("bpf").asText()), answer.get("pfc").asText(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bounded wait: a libseccomp that never returns must fail the test, not hang it. */
    private String readLine(String section) throws IOException {
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return line.get(TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("python3-seccomp did not finish within " + TIMEOUT_SECONDS + " s on " + section);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The section in OCI JSON, as a profile would write it. */
    static ObjectNode ociJson(SeccompSpec spec) {
        ObjectNode section = JSON.createObjectNode();
        section.put("defaultAction", spec.defaultAction().ociName());
        spec.defaultErrnoRet().ifPresent(errno -> section.put("defaultErrnoRet", errno));
        spec.architectures().forEach(section.putArray("architectures")::add);
        spec.flags().forEach(section.putArray("flags")::add);
        ArrayNode syscalls = section.putArray("syscalls");
        for (SyscallRule rule : spec.syscalls()) {
            ObjectNode json = syscalls.addObject();
            rule.names().forEach(json.putArray("names")::add);
            json.put("action", rule.action().ociName());
            rule.errnoRet().ifPresent(errno -> json.put("errnoRet", errno));
            ArrayNode args = json.putArray("args");
            for (SeccompArg arg : rule.args()) {
                args.addObject()
                        .put("index", arg.index())
                        .put("value", new BigInteger(Long.toUnsignedString(arg.value())))
                        .put("valueTwo", new BigInteger(Long.toUnsignedString(arg.valueTwo())))
                        .put("op", arg.op().name());
            }
        }
        return section;
    }

    @Override
    public void close() {
        try {
            in.close();
            process.waitFor();
            Files.deleteIfExists(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
