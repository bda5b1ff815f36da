package dev.relay.fulfillment;

/**
 * What the saga's steps act on, as plain interfaces ({@link DynamoDbFulfillment} implements them). Every operation is
 * idempotent by order id: doing it twice has the effect of doing it once, and undoing what was never done is a no-op.
 */
public final class Fulfillment {

    private Fulfillment() {}

    public interface Ledger {
        /** Charges the order's amount once; returns the charge id. */
        String charge(Order order);

        /** Refunds the order's charge once; returns the refund id, or null when nothing was charged. */
        String refund(Order order);
    }

    public interface Inventory {
        /** Takes the order's items out of stock, all or none; never below zero (out of stock: a permanent failure). */
        String reserve(Order order);

        /** Puts a reservation's items back once; returns false when nothing was reserved. */
        boolean release(Order order);
    }

    public interface Shipments {
        String schedule(Order order);

        /** Cancels the order's shipment once; returns false when nothing was scheduled. */
        boolean cancel(Order order);
    }

    public interface Approvals {
        /** Keeps the task token a person's approval or denial resumes, by order id. */
        void awaiting(Order order, String taskToken);
    }
}
