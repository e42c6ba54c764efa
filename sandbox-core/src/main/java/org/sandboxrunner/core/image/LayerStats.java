package org.sandboxrunner.core.image;

/** What unpacking one layer did: entries applied, file bytes written, and what it dropped. */
public record LayerStats(long entries, long fileBytes, long droppedDevices, long droppedSetuidBits) {
}
