package dev.relay.fulfillment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.agent.EventData;
import dev.relay.core.event.InvalidEventException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An {@code order.placed} payload as the saga reads it. Amounts are kept in minor units ({@code amountMinor}: 4900 for
 * 49.00 EUR). {@code simulate} asks a step to fail, for demonstrations: {@code {"shipping": "timeout"}}.
 */
public record Order(String orderId, String customerId, List<Item> items, long amountMinor, String currency,
        Map<String, String> simulate) {

    public record Item(String sku, int quantity) {}

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public static Order from(ObjectNode data) {
        String orderId = EventData.requiredText(data, "order_id");
        if (!ID.matcher(orderId).matches()) {
            throw new InvalidEventException("data.order_id", "'" + orderId + "' must be 1 to 64 letters, digits, '-' or '_'");
        }
        String customerId = EventData.requiredText(data, "customer_id");
        JsonNode itemsNode = data.path("items");
        if (!itemsNode.isArray() || itemsNode.isEmpty()) {
            throw new InvalidEventException("data.items", "required (a non-empty array of {sku, quantity})");
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < itemsNode.size(); i++) {
            JsonNode item = itemsNode.get(i);
            String where = "data.items[" + i + "]";
            if (!item.path("sku").isTextual() || item.get("sku").asText().isBlank()) {
                throw new InvalidEventException(where + ".sku", "required (a non-empty string)");
            }
            if (!item.path("quantity").canConvertToExactIntegral() || item.get("quantity").asInt() < 1
                    || item.get("quantity").asInt() > 10_000) {
                throw new InvalidEventException(where + ".quantity", "must be an integer from 1 to 10000");
            }
            items.add(new Item(item.get("sku").asText(), item.get("quantity").asInt()));
        }
        JsonNode amount = data.path("amount");
        if (!amount.isNumber() || amount.decimalValue().signum() <= 0 || amount.decimalValue().scale() > 2) {
            throw new InvalidEventException("data.amount", "must be a positive amount with at most 2 decimals");
        }
        String currency = EventData.requiredText(data, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new InvalidEventException("data.currency", "'" + currency + "' is not an ISO 4217 code such as EUR");
        }
        Map<String, String> simulate = new LinkedHashMap<>();
        data.path("simulate").properties().forEach(e -> simulate.put(e.getKey(), e.getValue().asText()));
        long minor = amount.decimalValue().movePointRight(2).setScale(0).longValueExact();
        return new Order(orderId, customerId, List.copyOf(items), minor, currency, Map.copyOf(simulate));
    }

    public BigDecimal amount() {
        return BigDecimal.valueOf(amountMinor, 2);
    }
}
