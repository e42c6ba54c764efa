package org.sandboxrunner.core.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A validated image manifest: its config and layer descriptors, and (for referrers) its subject. */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers,
                            Optional<Descriptor> subject, Optional<String> artifactType,
                            Map<String, String> annotations) {

    public ImageManifest {
        if (mediaType == null || config == null || subject == null || artifactType == null) {
            throw new IllegalArgumentException("manifest parts must not be null");
        }
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    }
}
