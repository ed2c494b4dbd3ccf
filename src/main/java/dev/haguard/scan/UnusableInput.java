package dev.haguard.scan;

/** Input that cannot be used at all; the message starts with file and line. */
public class UnusableInput extends Exception {

    public UnusableInput(String message) {
        super(message);
    }
}
