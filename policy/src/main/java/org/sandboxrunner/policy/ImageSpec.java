package org.sandboxrunner.policy;

/**
 * Runner addition {@code image}: the OCI image to run and the trust policy that must accept it.
 *
 * @param reference   {@code oci:DIR[:TAG|@sha256:...]}
 * @param trustPolicy path of a containers-policy.json(5) file
 */
public record ImageSpec(String reference, String trustPolicy) {

    public ImageSpec {
        Checks.required(reference, "image.reference");
        if (!reference.startsWith("oci:")) {
            throw new IllegalArgumentException("image.reference must start with 'oci:', got '" + reference + "'");
        }
        Checks.absolutePath(trustPolicy, "image.trustPolicy");
    }
}
