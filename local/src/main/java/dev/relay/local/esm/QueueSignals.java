package dev.relay.local.esm;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which queues were just sent to, by queue name. The local cloud's SNS and the edge's SQS endpoint report every send
 * they make or forward; a poller gathering a batch in its batching window waits here for its queue's next send
 * instead of short-polling SQS every 100 ms, and receives as soon as one comes. A send it is not told about (a
 * message whose visibility timeout ran out) is received when the window closes, as before.
 */
public final class QueueSignals {

    private final Map<String, Signal> queues = new ConcurrentHashMap<>();

    /** Counts the sends to one queue; waiters wait for the count to pass what they last saw. */
    private static final class Signal {
        private long sends;

        synchronized void sent() {
            sends++;
            notifyAll();
        }

        synchronized long sends() {
            return sends;
        }

        synchronized boolean awaitPast(long seen, long deadlineNanos) throws InterruptedException {
            while (sends == seen) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return true;
        }
    }

    private Signal signal(String queueName) {
        return queues.computeIfAbsent(queueName, name -> new Signal());
    }

    /** One or more messages were sent to the queue named {@code queueName}. */
    public void sent(String queueName) {
        signal(queueName).sent();
    }

    /** The queue URL's or ARN's last part: the name sends are reported under. */
    public static String queueName(String queueUrlOrArn) {
        int slash = Math.max(queueUrlOrArn.lastIndexOf('/'), queueUrlOrArn.lastIndexOf(':'));
        return queueUrlOrArn.substring(slash + 1);
    }

    /** How many sends to the queue were reported so far: what to pass to {@link #awaitSendAfter}. */
    long sends(String queueName) {
        return signal(queueName).sends();
    }

    /**
     * Waits until a send to the queue is reported beyond the {@code seen}-th, or {@code timeout} passes.
     *
     * @return whether a send was reported
     */
    boolean awaitSendAfter(String queueName, long seen, Duration timeout) throws InterruptedException {
        return signal(queueName).awaitPast(seen, System.nanoTime() + timeout.toNanos());
    }
}
