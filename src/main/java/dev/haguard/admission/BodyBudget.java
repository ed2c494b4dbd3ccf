package dev.haguard.admission;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of admission bodies held right now, from arrival until the answer is sent, against a budget. Judging a
 * review holds several times its size on the heap (the buffered body, its JSON tree, the typed objects), so without
 * a bound a burst of large reviews exhausts the heap and fails every admission at once.
 */
final class BodyBudget {

    private final long budget;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long budget) {
        this.budget = budget;
    }

    /** Takes {@code bytes} from the budget, or returns false if that would overdraw it. A body alone always fits. */
    boolean take(long bytes) {
        while (true) {
            long now = held.get();
            if (now > 0 && now + bytes > budget) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long budget() {
        return budget;
    }
}
