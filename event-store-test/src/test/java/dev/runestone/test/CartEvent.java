package dev.runestone.test;

import dev.runestone.registry.EventRegistry;

/** The events of the fixtures' own tests: a shopping cart, hand-written and registered by hand. */
sealed interface CartEvent permits CartEvent.Opened, CartEvent.ItemAdded, CartEvent.CheckedOut {

    /** A cart was opened for its owner. */
    record Opened(Owner data) implements CartEvent {
    }

    /** Who a cart is for. */
    record Owner(String name) {
    }

    /** Some of an item went into a cart. */
    record ItemAdded(Item data) implements CartEvent {
    }

    /** An item and how many of it. */
    record Item(String sku, int quantity) {
    }

    /** A cart was paid for; nothing more goes in. */
    record CheckedOut() implements CartEvent {
    }

    static EventRegistry<CartEvent> registry() {
        return EventRegistry.builder(CartEvent.class)
                .register("cart:opened", Opened.class)
                .register("cart:item-added", ItemAdded.class)
                .register("cart:checked-out", CheckedOut.class)
                .build();
    }

    static Opened opened(String owner) {
        return new Opened(new Owner(owner));
    }

    static ItemAdded added(String sku, int quantity) {
        return new ItemAdded(new Item(sku, quantity));
    }
}
