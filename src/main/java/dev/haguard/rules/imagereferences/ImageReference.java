package dev.haguard.rules.imagereferences;

/**
 * The parts of a container image reference that decide whether it is pinned:
 * {@code [registry[:port]/]path[:tag][@digest]}. A colon before the last slash belongs to a registry port.
 */
record ImageReference(String repository, String tag, String digest) {

    static ImageReference parse(String image) {
        if (image == null || image.isBlank()) {
            return new ImageReference("", null, null);
        }
        String rest = image.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        boolean tagged = colon > rest.lastIndexOf('/');
        return new ImageReference(tagged ? rest.substring(0, colon) : rest, tagged ? rest.substring(colon + 1) : null,
                digest);
    }

    /** What is wrong with the reference, or null when it is acceptable. */
    String problem(boolean requireDigest) {
        if (repository.isEmpty()) {
            return ImageReferencesWords.NO_IMAGE;
        }
        if (digest != null) {
            return digest.startsWith("sha256:") && digest.length() == 71 ? null
                    : ImageReferencesWords.MALFORMED_DIGEST;
        }
        if (requireDigest) {
            return ImageReferencesWords.NOT_BY_DIGEST;
        }
        if (tag == null || tag.isEmpty()) {
            return ImageReferencesWords.NO_TAG;
        }
        if (tag.equals("latest")) {
            return ImageReferencesWords.LATEST;
        }
        return null;
    }

    /** The exact change that makes the reference acceptable. */
    String fix(boolean requireDigest) {
        return repository.isEmpty() ? ImageReferencesWords.NO_IMAGE_FIX : ImageReferencesWords.fix(repository, requireDigest);
    }
}
