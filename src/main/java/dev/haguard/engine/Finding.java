package dev.haguard.engine;

import java.util.Map;

/**
 * What one rule found about one admission, before the policy's mode for that rule is applied.
 * The engine turns a finding into an {@link Outcome}: a violation under {@code enforce} denies,
 * under {@code warn} becomes a kubectl warning, under {@code audit} is only recorded.
 */
public record Finding(Kind kind, String message, Map<String, String> facts) {

    public Finding(Kind kind, String message) {
        this(kind, message, Map.of());
    }

    public Finding {
        facts = Map.copyOf(facts);
    }

    /**
     * A fact naming the object ("Kind/namespace/name") whose change fixes what this finding is about, where that is not
     * the object judged: a scan that judges that object too reports the problem there, once.
     */
    public static final String CONCERNS = "concerns";

    /**
     * A fact naming the topology keys a spread was injected with ScheduleAnyway because schedulable nodes lack them
     * (comma-separated), which metrics count.
     */
    public static final String RELAXED = "relaxed";

    /**
     * A fact naming the exposure that alerts tell apart (one-zone, one-node, drain-blocking, single-zone-cluster,
     * control-plane-nodes, control-plane-one-zone, zone-capacity).
     */
    public static final String CHECK = "check";

    /** This finding with a figure or name that metrics and the audit record carry apart from the message. */
    public Finding with(String fact, String value) {
        Map<String, String> more = new java.util.TreeMap<>(facts);
        more.put(fact, value);
        return new Finding(kind, message, more);
    }

    public enum Kind {
        /** The rule looked and found nothing to object to. */
        PASS,
        /** The rule does not apply here; the message says why. */
        SKIP,
        /** The object breaks the rule; the message says what to change. */
        VIOLATION,
        /** Worth telling the user but never worth a denial (e.g. a problem that predates this change). */
        NOTICE,
        /** The rule changed the working copy; the message says what it did. */
        MUTATED
    }

    public static Finding pass() {
        return new Finding(Kind.PASS, "");
    }

    public static Finding skip(String reason) {
        return new Finding(Kind.SKIP, reason);
    }

    public static Finding violation(String message) {
        return new Finding(Kind.VIOLATION, message);
    }

    public static Finding notice(String message) {
        return new Finding(Kind.NOTICE, message);
    }

    public static Finding mutated(String summary) {
        return new Finding(Kind.MUTATED, summary);
    }
}
