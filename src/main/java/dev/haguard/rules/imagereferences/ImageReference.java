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
            return "names no image";
        }
        if (digest != null) {
            return digest.startsWith("sha256:") && digest.length() == 71 ? null
                    : "has a malformed digest (expected @sha256: and 64 hex digits)";
        }
        if (requireDigest) {
            return "is not pinned by digest (the policy requires @sha256:)";
        }
        if (tag == null || tag.isEmpty()) {
            return "has no tag, which means the mutable :latest";
        }
        if (tag.equals("latest")) {
            return "uses the mutable tag :latest";
        }
        return null;
    }

    /** The exact change that makes the reference acceptable. */
    String fix(boolean requireDigest) {
        if (repository.isEmpty()) {
            return "set image to a pinned reference such as nginx:1.27";
        }
        String byDigest = repository + "@sha256:<digest>";
        return requireDigest ? "use " + byDigest + " (crane digest " + repository + ":TAG prints it)"
                : "use a fixed version tag (" + repository + ":<version>) or a digest (" + byDigest + ")";
    }
}
