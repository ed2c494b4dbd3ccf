package dev.haguard.cel;

import dev.haguard.policy.Mode;

/**
 * Builds CEL string expressions from the rules' own words: a rule's text function is called with {@link #x} markers
 * where the webhook passes values, and {@link #concat} turns the text into literals joined with those expressions.
 * Fields the API server may leave out of {@code request} (name, namespace, subResource: omitempty in AdmissionRequest)
 * are read with has(), as an absent field is an error in CEL.
 */
public final class Cel {

    private static final char OPEN = '\u0001';
    private static final char CLOSE = '\u0002';

    public static final String NAMESPACE = "(has(request.namespace) ? request.namespace : '')";
    public static final String NAME = "(has(request.name) && request.name != '' ? request.name : (has(object.metadata"
            + ".generateName) ? object.metadata.generateName : '') + '*')";

    /** The request as the engine's Admission.describe() gives it: Kind namespace/name (resource/subresource). */
    public static final String DESCRIBE = concat(x("request.kind.kind") + " " + x("(" + NAMESPACE + " == '' ? '' : "
            + NAMESPACE + " + '/')") + x(NAME) + x("(has(request.subResource) && request.subResource != '' ? ' (' + "
            + "request.resource.resource + '/' + request.subResource + ')' : '')"));

    private Cel() {
    }

    /** True where {@code root} has the dotted {@code path}: each level tested, as a missing one is an error in CEL. */
    public static String present(String root, String path) {
        StringBuilder out = new StringBuilder();
        String at = root;
        for (String part : path.split("\\.")) {
            at = at + "." + part;
            out.append(out.isEmpty() ? "" : " && ").append("has(").append(at).append(")");
        }
        return out.toString();
    }

    /** A CEL expression to stand in a rule's text where the webhook puts a value. */
    public static String x(String expression) {
        return OPEN + expression + CLOSE;
    }

    /** A text with {@link #x} markers in it, as one CEL string expression. */
    public static String concat(String text) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf(OPEN, at);
            if (open < 0) {
                append(out, lit(text.substring(at)));
                break;
            }
            if (open > at) {
                append(out, lit(text.substring(at, open)));
            }
            int close = text.indexOf(CLOSE, open);
            append(out, "(" + text.substring(open + 1, close) + ")");
            at = close + 1;
        }
        return out.isEmpty() ? "''" : out.toString();
    }

    private static void append(StringBuilder out, String part) {
        out.append(out.isEmpty() ? "" : " + ").append(part);
    }

    public static String lit(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The webhook's denial when {@code rule} alone denies: AdmissionEngine's "ha-guard denied ...: [rule] ...". */
    public static String denied(String rule, String message) {
        return "'ha-guard denied ' + " + DESCRIBE + " + ': [" + rule + "] ' + " + message;
    }

    /** The webhook's warning from {@code rule} in {@code mode}: AdmissionEngine's "ha-guard [rule]: ...". */
    public static String warned(String rule, Mode mode, String message) {
        return lit(warning(rule, mode)) + " + " + message;
    }

    /** How the webhook's warnings from {@code rule} in {@code mode} begin. */
    public static String warning(String rule, Mode mode) {
        return "ha-guard [" + rule + "]: " + (mode == Mode.ENFORCE ? "" : "(" + mode.label() + " mode) ");
    }
}
