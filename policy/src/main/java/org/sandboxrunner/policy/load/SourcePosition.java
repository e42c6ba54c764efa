package org.sandboxrunner.policy.load;

/** Where a value was written: a source and a 1-based line and column. */
public record SourcePosition(String source, int line, int column) {}
