package dev.runestone.test;

import dev.runestone.AggregateReducer;
import dev.runestone.AggregateRoot;
import dev.runestone.Reducer;
import dev.runestone.test.CartEvent.CheckedOut;
import dev.runestone.test.CartEvent.ItemAdded;
import dev.runestone.test.CartEvent.Opened;

/** The aggregate the fixtures' tests exercise: a cart takes items until it is checked out. */
final class Cart extends AggregateRoot<CartEvent> {

    static final AggregateReducer<Cart, CartEvent> REDUCER = Reducer.aggregate("cart", Cart::new);

    private int items;
    private boolean checkedOut;

    @Override
    protected void with(CartEvent event) {
        switch (event) {
            case Opened opened -> items = 0;
            case ItemAdded added -> items += added.data().quantity();
            case CheckedOut checkOut -> checkedOut = true;
        }
    }

    void open(String owner) {
        if (version() > 0) {
            throw new IllegalStateException("Cart " + stream() + " is open already");
        }
        push(CartEvent.opened(owner));
    }

    void add(String sku, int quantity) {
        if (checkedOut) {
            throw new IllegalStateException("Cart " + stream() + " is checked out");
        }
        if (quantity < 1) {
            throw new IllegalArgumentException("A quantity is at least 1, was " + quantity);
        }
        push(CartEvent.added(sku, quantity));
    }

    /** Checks out once; checking out again does nothing. */
    void checkOut() {
        if (!checkedOut) {
            push(new CheckedOut());
        }
    }

    int items() {
        return items;
    }
}
