package com.example.events;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Code a user of the generated events writes, compiled together with them: a switch over the sealed interface and
 * events made with the records' constructors.
 */
@SuppressWarnings("deprecation") // order:cancelled is deprecated, and a complete switch must still name it
public final class Scenarios {

    private Scenarios() {
    }

    /** Names every event type: this only compiles while the switch covers every record. */
    public static String describe(UserEvent event) {
        return switch (event) {
            case UserCreated created -> "created " + created.data().name().given() + " "
                    + created.data().name().family() + " <" + created.data().email() + ">";
            case UserEmailSet set -> "email set to " + set.data();
            case UserNameGivenSet set -> "given name set to " + set.data();
            case UserActivated activated -> "activated";
            case UserRolesSet set -> "role " + set.data().role().value() + ", tags " + set.data().tags();
            case OrderPlaced placed -> "order of " + placed.data().lines().size() + " lines to "
                    + placed.data().shippingAddress().city();
            case OrderCancelled cancelled -> "cancelled: " + cancelled.data().reason();
            case OrderTagsSet set -> "tags " + set.data();
            case OrderArchived archived -> "archived by " + archived.meta().auditor();
        };
    }

    /** One valid event of each type, using every kind of value. */
    public static List<UserEvent> samples() {
        return List.of(
                userCreated("Jane", "Doe", "jane@example.com"),
                new UserEmailSet("jane.doe@example.com", new UserEmailSet.Meta("jane")),
                new UserNameGivenSet("Janet", new UserNameGivenSet.Meta("jane")),
                new UserActivated(),
                new UserRolesSet(new UserRolesSet.Data(UserRolesSet.Data.Role.READ_ONLY, List.of("beta", "staff")),
                        new UserRolesSet.Meta("admin")),
                orderPlaced(List.of(line("ABC-1234", 2, "9.99"), line("XYZ-0001", 1, "120.50")), "placed"),
                new OrderPlaced(new OrderPlaced.Data(UUID.fromString("0190f5e4-8a47-7c3b-9d55-2b1e0c6f7a10"),
                        "shop@example.org", OffsetDateTime.parse("2024-12-31T23:59:59.123456789Z"), null, null,
                        List.of(line("DEF-5678", 1000, "0.01")), new BigDecimal("0.01"), 3, false, "placed",
                        new OrderPlaced.Data.Address("1 Road", "Oslo", null), null),
                        new OrderPlaced.Meta("system", null)),
                new OrderCancelled(new OrderCancelled.Data(OrderCancelled.Data.Reason.OUT_OF_STOCK)),
                new OrderCancelled(new OrderCancelled.Data(null)),
                new OrderTagsSet(List.of(OrderTagsSet.DataItem.GIFT, OrderTagsSet.DataItem.FRAGILE)),
                new OrderArchived(new OrderArchived.Meta("archiver")));
    }

    public static UserCreated userCreated(String given, String family, String email) {
        return new UserCreated(new UserCreated.Data(new UserCreated.Data.Name(given, family), email),
                new UserCreated.Meta("admin"));
    }

    public static UserCreated userCreatedWithoutMeta() {
        return new UserCreated(new UserCreated.Data(new UserCreated.Data.Name("Jane", "Doe"), "jane@example.com"),
                null);
    }

    public static UserEmailSet emailSet(String email) {
        return new UserEmailSet(email, new UserEmailSet.Meta("jane"));
    }

    public static UserNameGivenSet givenNameSet(String given) {
        return new UserNameGivenSet(given, new UserNameGivenSet.Meta("jane"));
    }

    public static UserRolesSet rolesSet(List<String> tags) {
        return new UserRolesSet(new UserRolesSet.Data(UserRolesSet.Data.Role.MEMBER, tags),
                new UserRolesSet.Meta("admin"));
    }

    public static OrderTagsSet tagsSet(List<OrderTagsSet.DataItem> tags) {
        return new OrderTagsSet(tags);
    }

    public static OrderPlaced.Data.Line line(String sku, long quantity, String unitPrice) {
        return new OrderPlaced.Data.Line(sku, quantity, new BigDecimal(unitPrice));
    }

    public static OrderPlaced orderPlaced(List<OrderPlaced.Data.Line> lines, String status) {
        return orderPlaced(lines, status, "customer@example.com", URI.create("https://shop.example.com/orders"));
    }

    public static OrderPlaced orderPlaced(List<OrderPlaced.Data.Line> lines, String status, String customer,
            URI website) {
        return new OrderPlaced(
                new OrderPlaced.Data(UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2"), customer,
                        OffsetDateTime.parse("2025-04-25T22:47:07+02:00"), LocalDate.parse("2025-05-02"), website,
                        lines, new BigDecimal("140.48"), 1, true, status,
                        new OrderPlaced.Data.Address("Storgata 1", "Oslo", "0155"), "Ring the bell"),
                new OrderPlaced.Meta("checkout", UUID.fromString("3f2b1c9e-5a7d-4e8f-9b0c-1d2e3f4a5b6c")));
    }

    /** A list the caller keeps and may change after handing it to a record. */
    public static List<String> mutableTags() {
        return new ArrayList<>(List.of("a", "b"));
    }
}
