package com.personasettings.gateway.http;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RandomIdsTest {

    @Test
    void idsAreVersion4UuidsOfTheIetfVariant() {
        UUID id = RandomIds.next();
        assertThat(id.version()).isEqualTo(4);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(UUID.fromString(id.toString())).isEqualTo(id);
    }

    @Test
    void idsDoNotRepeatAcrossThreads() {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 200_000).parallel().forEach(i -> assertThat(seen.add(RandomIds.next())).isTrue());
        assertThat(seen).hasSize(200_000);
    }

    @Test
    void idsVaryInEveryRandomBit() {
        long ored = 0;
        long anded = -1;
        for (int i = 0; i < 1_000; i++) {
            long high = RandomIds.next().getMostSignificantBits();
            ored |= high;
            anded &= high;
        }
        // Outside the four version bits, every bit of the high half was both 0 and 1 at least once.
        assertThat(ored & ~0xF000L).isEqualTo(-1L & ~0xF000L);
        assertThat(anded & ~0xF000L).isZero();
    }
}
