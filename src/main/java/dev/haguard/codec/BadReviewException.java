package dev.haguard.codec;

/** An AdmissionReview that cannot be answered as such; the message names what is wrong (HTTP 400). */
public class BadReviewException extends RuntimeException {

    public BadReviewException(String message) {
        super(message);
    }
}
