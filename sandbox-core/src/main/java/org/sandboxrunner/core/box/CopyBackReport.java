package org.sandboxrunner.core.box;

import java.util.List;

/**
 * What {@link CopyBack} did to the work directory: regular files written (and their bytes),
 * directories created, entries removed (whiteouts, replaced entries, the old content of opaque
 * directories), and entries of the run it did not bring back (symbolic links, FIFOs, sockets,
 * devices), each as a path relative to the work directory with its kind.
 */
public record CopyBackReport(int files, long bytes, int directories, int removed, List<String> skipped) {
    public CopyBackReport {
        if (files < 0 || bytes < 0 || directories < 0 || removed < 0) {
            throw new IllegalArgumentException("negative count in a copy-back report");
        }
        skipped = List.copyOf(skipped);
    }
}
