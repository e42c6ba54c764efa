package org.sandboxrunner.core.run;

import java.util.ArrayList;
import java.util.List;
import org.sandboxrunner.core.launch.Stdio;
import org.sandboxrunner.core.nativeio.Fd;
import org.sandboxrunner.core.nativeio.Posix;

/** Opens a request's stdin, stdout and stderr as descriptors for one run, and closes them after it. */
final class StdioFiles implements AutoCloseable {
    private final List<Fd> opened = new ArrayList<>();
    private final Fd in, out, err;

    private StdioFiles(RunRequest r) {
        try {
            in = open(r.stdin());
            out = open(r.stdout(), 1, "stdout");
            err = open(r.stderr(), 2, "stderr");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static StdioFiles open(RunRequest r) {
        return new StdioFiles(r);
    }

    Stdio stdio() {
        return new Stdio(in, out, err);
    }

    /** What a captured stream holds, up to {@code max} bytes; empty for a stream not captured. */
    byte[] captured(RunRequest r, boolean stdout, int max) {
        Output o = stdout ? r.stdout() : r.stderr();
        return o instanceof Output.Capture ? Posix.preadAll(stdout ? out : err, max) : new byte[0];
    }

    private Fd open(Input i) {
        if (i instanceof Input.Inherit) {
            return Fd.standardStream(0);
        }
        String path = i instanceof Input.FromFile f ? f.file().toString() : "/dev/null";
        return keep(Posix.openRead(path));
    }

    private Fd open(Output o, int stream, String name) {
        if (o instanceof Output.Inherit) {
            return Fd.standardStream(stream);
        }
        if (o instanceof Output.ToFile f) {
            return keep(Posix.openWrite(f.file().toString(), false));
        }
        if (o instanceof Output.Capture) {
            return keep(Posix.memfd("sandbox-" + name));
        }
        return keep(Posix.openWrite("/dev/null", true));
    }

    private Fd keep(Fd fd) {
        opened.add(fd);
        return fd;
    }

    @Override
    public void close() {
        opened.forEach(Fd::close);
    }
}
