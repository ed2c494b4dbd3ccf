package dev.haguard.cel;

import dev.haguard.engine.Operation;
import dev.haguard.engine.Rule;
import dev.haguard.engine.Unjudged;
import dev.haguard.engine.Webhook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The matchConditions of ha-guard's two main webhooks, derived from what the rules declare they never judge
 * ({@link Rule#unjudged()}): a request is left out only where every rule that covers it leaves it unjudged, and then
 * under all their conditions at once. The API server evaluates matchConditions in-process before it would call the
 * webhook, so such a request costs no call. deploy/base/webhooks.yaml carries them; a test keeps the two the same and
 * proves, on every recorded and built request, that what they leave out the engine would have admitted untouched.
 */
public final class MatchConditions {

    /** One condition, true where the webhook is called, with why each rule leaves the rest to others. */
    public record Skip(Conditions.Condition condition, List<String> reasons) {
    }

    private MatchConditions() {
    }

    public static List<Skip> of(List<Rule<?>> rules, Webhook webhook) {
        // (group, resource) -> (the conditions all covering rules share -> operations), in the order rules declare them
        Map<String, Map<List<String>, Set<Operation>>> skips = new LinkedHashMap<>();
        Map<List<String>, List<String>> reasons = new LinkedHashMap<>();
        for (Rule<?> rule : rules) {
            for (Unjudged u : rule.unjudged()) {
                if (u.webhook() != webhook || u.group().equals("*") || u.resource().equals("*")) {
                    continue;
                }
                for (Operation op : u.operations()) {
                    whenAll(rules, webhook, u.group(), u.resource(), op, reasons).ifPresent(when -> skips
                            .computeIfAbsent(u.group() + "\u0000" + u.resource(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(when, k -> new TreeSet<>()).add(op));
                }
            }
        }
        List<Skip> out = new ArrayList<>();
        skips.forEach((key, byWhen) -> byWhen.forEach((when, ops) -> {
            String group = key.substring(0, key.indexOf('\u0000'));
            String resource = key.substring(key.indexOf('\u0000') + 1);
            String name = resource.replace('/', '-') + "-" + String.join("-", ops.stream()
                    .map(o -> o.name().toLowerCase(Locale.ROOT)).toList()) + "-a-rule-judges";
            String expression = "!(" + Requests.to(group, resource, ops) + " && "
                    + String.join(" && ", when.stream().map(w -> "(" + w + ")").toList()) + ")";
            out.add(new Skip(new Conditions.Condition(name, expression), reasons.get(when)));
        }));
        out.sort(java.util.Comparator.comparing(s -> s.condition().name()));
        return out;
    }

    /**
     * The conditions under which no rule covering this request judges it, one per distinct condition; empty when some
     * covering rule has none for it.
     */
    private static Optional<List<String>> whenAll(List<Rule<?>> rules, Webhook webhook, String group, String resource,
            Operation op, Map<List<String>, List<String>> reasons) {
        Set<String> when = new LinkedHashSet<>();
        List<String> why = new ArrayList<>();
        for (Rule<?> rule : rules) {
            if (rule.coverage().stream().noneMatch(c -> c.covers(webhook, group, resource, op))) {
                continue;
            }
            List<Unjudged> own = rule.unjudged().stream().filter(u -> u.covers(webhook, group, resource, op)).toList();
            if (own.isEmpty()) {
                return Optional.empty();
            }
            // a rule's own conditions for one request are alternatives: any of them leaves it unjudged
            when.add(own.size() == 1 ? own.get(0).when()
                    : String.join(" || ", own.stream().map(u -> "(" + u.when() + ")").toList()));
            own.forEach(u -> why.add(rule.name() + ": " + u.why()));
        }
        if (when.isEmpty()) {
            return Optional.empty();
        }
        List<String> all = when.stream().filter(w -> when.stream().noneMatch(o -> !o.equals(w) && Requests.implies(o, w)))
                .toList();
        reasons.merge(all, why, (a, b) -> a.containsAll(b) ? a : merged(a, b));
        return Optional.of(all);
    }

    private static List<String> merged(List<String> a, List<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
