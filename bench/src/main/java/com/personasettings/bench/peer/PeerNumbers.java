package com.personasettings.bench.peer;

import com.personasettings.processor.db.NumberRow;
import com.personasettings.processor.db.NumbersDao;
import com.personasettings.processor.db.Repository;

import javax.sql.DataSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Seeds the peer's database with numbers already in an org and attached to a persona. */
public final class PeerNumbers {

    /** A number of {@code orgId} attached to {@code personaId}, with no settings of its own. */
    public record Attached(UUID orgId, String phoneNumber, String personaId) {
    }

    private PeerNumbers() {
    }

    /**
     * Inserts the numbers in one transaction, as rows of the processor's form ({@link NumbersDao#upsert}, one JDBC
     * batch): ids follow the largest one there, offset 0, no label, updated now. A number already there is left as
     * it is. The database must have the processor's schema ({@link Repository#migrate}, which {@link Peer} runs).
     */
    public static void insert(DataSource peerDatabase, List<Attached> numbers) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // what the product's timestamps carry
        new Repository(peerDatabase).jdbi().useTransaction(handle -> {
            long lastId = handle.createQuery("select coalesce(max(id), 0) from inbound_numbers")
                    .mapTo(Long.class).one();
            List<NumberRow> rows = new ArrayList<>(numbers.size());
            for (Attached number : numbers) {
                rows.add(new NumberRow(number.phoneNumber(), lastId + rows.size() + 1, number.orgId(), null,
                        number.personaId(), null, now, 0, false));
            }
            handle.attach(NumbersDao.class).upsert(rows);
        });
    }
}
