package dev.haguard.admission;

import java.util.concurrent.atomic.AtomicLong;

/** Under overload, logging every refused request would only add to the load: one line a second at most. */
final class LogLimiter {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong since = new AtomicLong();
    private final AtomicLong last = new AtomicLong(System.nanoTime() - 2 * SECOND);

    /** Counts one event; returns how many events a log line now should report, or 0 to stay silent. */
    long count() {
        since.incrementAndGet();
        long now = System.nanoTime();
        long previous = last.get();
        return now - previous > SECOND && last.compareAndSet(previous, now) ? since.getAndSet(0) : 0;
    }
}
