package dev.haguard.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Comparator;
import java.util.function.LongConsumer;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Calls back when, just after a collection, the heap's longest-lived pool (the old generation) holds more than a share
 * of what it may grow to: the background scan's leader then lets go of its informers instead of running the replica,
 * and the admission it serves, out of memory. The JVM checks the threshold itself at each collection; nothing polls.
 */
final class HeapValve implements AutoCloseable {

    private final MemoryPoolMXBean pool;
    private final NotificationListener listener;

    private HeapValve(MemoryPoolMXBean pool, NotificationListener listener) {
        this.pool = pool;
        this.listener = listener;
    }

    /**
     * @param share of the old generation's maximum, above 0 and at most 1
     * @param over called with the bytes the pool held after the collection that crossed it
     * @return null where the JVM reports no such pool (then nothing is watched)
     */
    static HeapValve watch(double share, LongConsumer over) {
        MemoryPoolMXBean pool = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
                        && p.getUsage().getMax() > 0)
                .max(Comparator.comparingLong(p -> p.getUsage().getMax())).orElse(null);
        if (pool == null) {
            return null;
        }
        pool.setCollectionUsageThreshold(Math.max(1, (long) (pool.getUsage().getMax() * share)));
        NotificationListener listener = (Notification n, Object handback) -> {
            if (n.getType().equals(MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED)) {
                MemoryNotificationInfo info = MemoryNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                if (info.getPoolName().equals(pool.getName())) {
                    over.accept(info.getUsage().getUsed());
                }
            }
        };
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
        return new HeapValve(pool, listener);
    }

    /** What the pool may grow to, in bytes. */
    long max() {
        return pool.getUsage().getMax();
    }

    @Override
    public void close() {
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
            // already removed
        }
        pool.setCollectionUsageThreshold(0);
    }
}
