package org.sandboxrunner.policy.load;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A parsed document: its tree and where each of its paths was written. */
public record Document(String source, ObjectNode root, Locations locations) {}
