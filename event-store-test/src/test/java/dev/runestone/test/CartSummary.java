package dev.runestone.test;

import dev.runestone.Reducer;
import dev.runestone.test.CartEvent.CheckedOut;
import dev.runestone.test.CartEvent.ItemAdded;
import dev.runestone.test.CartEvent.Opened;
import java.util.List;
import java.util.stream.Stream;

/** The reducer the fixtures' tests exercise: a cart's owner, the items in it, and whether it is checked out. */
record CartSummary(String owner, List<String> skus, boolean checkedOut) {

    static final Reducer<CartSummary, CartEvent> REDUCER = Reducer.of("cart-summary", CartSummary.class,
            () -> new CartSummary("", List.of(), false),
            (summary, record) -> switch (record.event()) {
                case Opened opened -> new CartSummary(opened.data().name(), List.of(), false);
                case ItemAdded added -> new CartSummary(summary.owner(),
                        Stream.concat(summary.skus().stream(), Stream.of(added.data().sku())).toList(), false);
                case CheckedOut checkedOut -> new CartSummary(summary.owner(), summary.skus(), true);
            });
}
