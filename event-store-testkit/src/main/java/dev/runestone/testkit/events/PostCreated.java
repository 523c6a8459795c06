package dev.runestone.testkit.events;

/**
 * {@code post:created}: a user wrote a post. Posts live in their own streams and are related to their author with
 * a relation key such as {@code user:<id>:posts}.
 *
 * @param data the post
 * @param meta who created it
 */
public record PostCreated(Data data, Meta meta) implements PostEvent {

    /** The type string. */
    public static final String TYPE = "post:created";

    /** The longest title a post may have. */
    public static final int MAX_TITLE_LENGTH = 200;

    public PostCreated {
        Rules rules = Rules.of(TYPE);
        if (rules.required("data", data)) {
            rules.requiredText("data.author", data.author());
            if (rules.requiredText("data.title", data.title())) {
                rules.maxLength("data.title", data.title(), MAX_TITLE_LENGTH);
            }
        }
        if (rules.required("meta", meta)) {
            rules.requiredText("meta.auditor", meta.auditor());
        }
        rules.check();
    }

    /**
     * The post.
     *
     * @param author the stream id of the user who wrote it
     * @param title  the title, at most {@value PostCreated#MAX_TITLE_LENGTH} characters
     */
    public record Data(String author, String title) {
    }
}
