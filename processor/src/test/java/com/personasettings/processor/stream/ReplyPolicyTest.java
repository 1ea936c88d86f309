package com.personasettings.processor.stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyPolicyTest {

    private final ReplyPolicy policy = ReplyPolicy.parse("persona.inbound.replies*, audit.replies", topic -> true);

    @ParameterizedTest
    @ValueSource(strings = {"persona.inbound.replies", "persona.inbound.replies.gateway-7", "audit.replies"})
    void allowsTopicsMatchingAGlob(String topic) {
        assertThat(policy.allows(topic)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"persona.inbound.outcomes", "audit.replies.more", "xpersona.inbound.replies",
            "persona.inbound.replies/../x", "persona.inbound.replies with space", ""})
    void refusesEverythingElseIncludingIllegalTopicNames(String topic) {
        assertThat(policy.allows(topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"persona.inbound.replies"})
    void treatsDotsLiterally(String glob) {
        assertThat(ReplyPolicy.parse(glob, topic -> true).allows("personaXinboundXreplies")).isFalse();
    }
}
