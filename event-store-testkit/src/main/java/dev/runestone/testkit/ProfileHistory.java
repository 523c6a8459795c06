package dev.runestone.testkit;

import dev.runestone.AggregateReducer;
import dev.runestone.AggregateRoot;
import dev.runestone.Reducer;
import dev.runestone.registry.EventRegistry;
import org.jspecify.annotations.Nullable;

/**
 * One event type through three versions, as three releases of a service would register it, for the evolution suite:
 * {@code profile:named} held a full name (version 1), then a given and a family name (version 2), then also an
 * optional nickname (version 3). Each release has its own sealed interface and records; today's reads the older two
 * through upcasters. {@code profile:greeted} never changed.
 */
final class ProfileHistory {

    private ProfileHistory() {
    }

    // Release 1 ------------------------------------------------------------------------------------------------------

    sealed interface Release1 {
    }

    record NamedV1(String data) implements Release1 {
    }

    record GreetedV1(String data) implements Release1 {
    }

    static EventRegistry<Release1> release1() {
        return EventRegistry.builder(Release1.class)
                .register("profile:named", NamedV1.class)
                .register("profile:greeted", GreetedV1.class)
                .build();
    }

    // Release 2 ------------------------------------------------------------------------------------------------------

    record NameV2(String given, String family) {
    }

    sealed interface Release2 {
    }

    record NamedV2(NameV2 data) implements Release2 {
    }

    record GreetedV2(String data) implements Release2 {
    }

    /** Release 1's record as release 2 keeps it, to read version 1 with. */
    record StoredNamedV1(String data) {
    }

    static EventRegistry<Release2> release2() {
        return EventRegistry.builder(Release2.class)
                .register("profile:named", 2, NamedV2.class)
                .upcaster("profile:named", 1, StoredNamedV1.class, ProfileHistory::split)
                .register("profile:greeted", GreetedV2.class)
                .build();
    }

    /** Version 1 to 2: the full name split at its first space. */
    static NamedV2 split(StoredNamedV1 stored) {
        int space = stored.data().indexOf(' ');
        return space < 0 ? new NamedV2(new NameV2(stored.data(), ""))
                : new NamedV2(new NameV2(stored.data().substring(0, space), stored.data().substring(space + 1)));
    }

    // Release 3, today -----------------------------------------------------------------------------------------------

    record Name(String given, String family, @Nullable String nickname) {
    }

    sealed interface ProfileEvent {
    }

    record Named(Name data) implements ProfileEvent {
    }

    record Greeted(String data) implements ProfileEvent {
    }

    /** Release 2's record as today's release keeps it, to read version 2 with. */
    record StoredNamedV2(NameV2 data) {
    }

    static EventRegistry<ProfileEvent> today() {
        return EventRegistry.builder(ProfileEvent.class)
                .register("profile:named", 3, Named.class)
                .upcaster("profile:named", 1, StoredNamedV1.class, ProfileHistory::split)
                .upcaster("profile:named", 2, NamedV2.class,
                        (NamedV2 stored) -> new Named(new Name(stored.data().given(), stored.data().family(), null)))
                .register("profile:greeted", Greeted.class)
                .build();
    }

    /** The profile today's reducers fold: the latest name, and how many greetings. */
    record Profile(String given, String family, @Nullable String nickname, int greetings) {

        static final Reducer<Profile, ProfileEvent> REDUCER = Reducer.of("profile", Profile.class,
                () -> new Profile("", "", null, 0), Profile::fold);

        Profile fold(dev.runestone.EventRecord<ProfileEvent> record) {
            return switch (record.event()) {
                case Named named -> new Profile(named.data().given(), named.data().family(), named.data().nickname(),
                        greetings);
                case Greeted greeted -> new Profile(given, family, nickname, greetings + 1);
            };
        }
    }

    /** The same fold with one more component: a state of another shape, under the same reducer name. */
    record ProfileWithInitials(String given, String family, @Nullable String nickname, int greetings,
            String initials) {

        static final Reducer<ProfileWithInitials, ProfileEvent> REDUCER = Reducer.of("profile",
                ProfileWithInitials.class, () -> new ProfileWithInitials("", "", null, 0, ""),
                ProfileWithInitials::fold);

        ProfileWithInitials fold(dev.runestone.EventRecord<ProfileEvent> record) {
            return switch (record.event()) {
                case Named named -> new ProfileWithInitials(named.data().given(), named.data().family(),
                        named.data().nickname(), greetings, initials(named.data()));
                case Greeted greeted -> new ProfileWithInitials(given, family, nickname, greetings + 1, initials);
            };
        }

        private static String initials(Name name) {
            return (name.given().isEmpty() ? "" : name.given().substring(0, 1))
                    + (name.family().isEmpty() ? "" : name.family().substring(0, 1));
        }
    }

    /** Today's profile as an aggregate. */
    static final class ProfileAggregate extends AggregateRoot<ProfileEvent> {

        static final AggregateReducer<ProfileAggregate, ProfileEvent> REDUCER =
                Reducer.aggregate("profile-aggregate", ProfileAggregate::new);

        private String given = "";
        private int greetings;

        @Override
        protected void with(ProfileEvent event) {
            switch (event) {
                case Named named -> given = named.data().given();
                case Greeted greeted -> greetings++;
            }
        }

        void greet(String text) {
            push(new Greeted(text));
        }

        String given() {
            return given;
        }

        int greetings() {
            return greetings;
        }
    }
}
