package com.personasettings.processor.stream;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which {@code reply-to} topics the processor will write to: those on the allowlist that exist. Commands
 * come from any service that can produce to the commands topic; without an allowlist one of them could make
 * the processor write outcomes into an arbitrary topic, and without the existence check a typo would stall
 * the stream thread (see {@link ReplyTopics}).
 */
public final class ReplyPolicy {

    /** Kafka's legal topic names. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final Pattern allowed;
    private final List<String> globs;
    private final Predicate<String> exists;

    /**
     * @param globs  topic names where {@code *} matches any run of characters, e.g. {@code persona.inbound.replies*}
     * @param exists whether a topic exists (production: {@link ReplyTopics})
     */
    public ReplyPolicy(List<String> globs, Predicate<String> exists) {
        this.globs = List.copyOf(globs);
        this.allowed = Pattern.compile(globs.stream().map(ReplyPolicy::toRegex).collect(Collectors.joining("|")));
        this.exists = exists;
    }

    public static ReplyPolicy parse(String commaSeparatedGlobs, Predicate<String> exists) {
        return new ReplyPolicy(List.of(commaSeparatedGlobs.trim().split("\\s*,\\s*")), exists);
    }

    /** On the allowlist (a legal topic name matching a glob); says nothing about existence. */
    public boolean allows(String topic) {
        return topic != null && TOPIC_NAME.matcher(topic).matches() && allowed.matcher(topic).matches();
    }

    public boolean exists(String topic) {
        return exists.test(topic);
    }

    private static String toRegex(String glob) {
        return "(?:" + List.of(glob.split("\\*", -1)).stream().map(Pattern::quote).collect(Collectors.joining(".*")) + ")";
    }

    @Override
    public String toString() {
        return String.join(",", globs);
    }
}
