package com.personasettings.processor.stream;

import com.personasettings.processor.TestCommands;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.ReleaseNumber;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a command id seen before is a retry, and when it is reused for another number or org. */
class DecodedCommandTest {

    private static final String PHONE = "+14155551234";
    private final TestCommands commands = new TestCommands();

    @Test
    void aRetryHasTheSameNumberAndOrg() {
        InboundCommand command = commands.release(PHONE);

        assertThat(DecodedCommand.reusesId(command, PHONE, TestCommands.ORG)).isFalse();
        assertThat(DecodedCommand.reusesId(command, "+14155550000", TestCommands.ORG)).isTrue();
        assertThat(DecodedCommand.reusesId(command, PHONE, TestCommands.OTHER_ORG)).isTrue();
    }

    /** Recorded as PostgreSQL holds it: a null org for any org_id that is not a UUID (all refused for it). */
    @Test
    void orgIdsThatAreNotUuidsAreOneAndTheSame() {
        InboundCommand notAUuid = commands.command("acme", PHONE, new ReleaseNumber());

        assertThat(DecodedCommand.reusesId(notAUuid, PHONE, null)).isFalse();
        assertThat(DecodedCommand.reusesId(notAUuid, PHONE, "acme")).isFalse();
        assertThat(DecodedCommand.reusesId(notAUuid, PHONE, "other")).isFalse();
        assertThat(DecodedCommand.reusesId(notAUuid, PHONE, TestCommands.ORG)).isTrue();
        assertThat(DecodedCommand.reusesId(commands.release(PHONE), PHONE, null)).isTrue();
    }
}
