package com.personasettings.processor.stream;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which {@code reply-to} topics the processor will write to. Commands come from any service that can
 * produce to the commands topic; without an allowlist one of them could make the processor write outcomes
 * into an arbitrary topic.
 */
public final class ReplyPolicy {

    /** Kafka's legal topic names. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final Pattern allowed;
    private final List<String> globs;

    /** @param globs topic names where {@code *} matches any run of characters, e.g. {@code persona.inbound.replies*} */
    public ReplyPolicy(List<String> globs) {
        this.globs = List.copyOf(globs);
        this.allowed = Pattern.compile(globs.stream().map(ReplyPolicy::toRegex).collect(Collectors.joining("|")));
    }

    public static ReplyPolicy parse(String commaSeparatedGlobs) {
        return new ReplyPolicy(List.of(commaSeparatedGlobs.trim().split("\\s*,\\s*")));
    }

    public boolean allows(String topic) {
        return topic != null && TOPIC_NAME.matcher(topic).matches() && allowed.matcher(topic).matches();
    }

    private static String toRegex(String glob) {
        return "(?:" + List.of(glob.split("\\*", -1)).stream().map(Pattern::quote).collect(Collectors.joining(".*")) + ")";
    }

    @Override
    public String toString() {
        return String.join(",", globs);
    }
}
