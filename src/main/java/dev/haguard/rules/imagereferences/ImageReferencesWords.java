package dev.haguard.rules.imagereferences;

import java.util.List;

/**
 * What imageReferences says to users, in one place: the webhook fills in the request's values, the CEL backstop fills
 * in expressions that compute them, so both say the same words.
 */
public final class ImageReferencesWords {

    public static final String NO_IMAGE = "names no image";
    public static final String MALFORMED_DIGEST = "has a malformed digest (expected @sha256: and 64 hex digits)";
    public static final String NOT_BY_DIGEST = "is not pinned by digest (the policy requires @sha256:)";
    public static final String NO_TAG = "has no tag, which means the mutable :latest";
    public static final String LATEST = "uses the mutable tag :latest";
    public static final String NO_IMAGE_FIX = "set image to a pinned reference such as nginx:1.27";
    public static final String SEPARATOR = ". ";

    private ImageReferencesWords() {
    }

    /** One container's finding: where it is, its image, what is wrong and the exact change. */
    public static String line(String list, String name, String image, String problem, String fix) {
        return list + "[name=" + name + "] image \"" + image + "\" " + problem + "; fix: " + fix;
    }

    /** The fix for an image of {@code repository} (non-empty). */
    public static String fix(String repository, boolean requireDigest) {
        String byDigest = repository + "@sha256:<digest>";
        return requireDigest ? "use " + byDigest + " (crane digest " + repository + ":TAG prints it)"
                : "use a fixed version tag (" + repository + ":<version>) or a digest (" + byDigest + ")";
    }

    /** The lines joined, as a denial (what this request introduces). */
    public static String introduced(String lines) {
        return lines + ".";
    }

    /** The lines joined, as a notice (what the object already had). */
    public static String existing(String lines) {
        return lines + " (already so before this change, so it is admitted).";
    }

    public static String join(List<String> lines) {
        return String.join(SEPARATOR, lines);
    }
}
