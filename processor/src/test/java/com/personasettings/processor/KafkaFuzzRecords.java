package com.personasettings.processor;

import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.ReleaseNumber;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.testing.NewerContract;
import com.personasettings.schemas.UpdatePersonaSettings;
import com.personasettings.schemas.registry.AvroSerializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Generators of records for the commands topic, from well-formed commands with wild values to plain noise. */
final class KafkaFuzzRecords {

    /** A record as it goes onto the topic; {@code kind} says what it was generated as. */
    record FuzzRecord(String kind, byte[] key, byte[] value, List<Header> headers, Long timestamp) {

        ProducerRecord<byte[], byte[]> toProducerRecord() {
            return new ProducerRecord<>(Topics.COMMANDS, null, timestamp, key, value, headers);
        }

        @Override
        public String toString() {
            return kind + " (key " + (key == null ? "null" : key.length + " bytes") + ", value "
                    + (value == null ? "null" : value.length + " bytes") + ", timestamp " + timestamp + ")";
        }
    }

    private static final AtomicLong PROBES = new AtomicLong();
    /** A few numbers and personas, so generated commands meet each other's state. */
    /** Orgs of the generated commands; besides them, any string at all (refused: an org id is a UUID). */
    static final String FUZZ_ORG = "f0220000-0000-4000-8000-000000000001";
    private static final String OTHER_ORG = "f0220000-0000-4000-8000-000000000002";
    private static final List<String> PHONES = List.of("+14155550100", "+14155550101", "+14155550102", "+442071838750");
    private static final List<String> PERSONAS = List.of("12345678-1234-1234-1234-123456789012",
            "87654321-4321-4321-4321-210987654321");

    private final AvroSerializer<InboundCommand> serializer;
    private final int commandSchemaId;
    private final int newerSchemaId;
    private final Schema newer;

    KafkaFuzzRecords(SchemaRegistryClient registry) {
        this.serializer = new AvroSerializer<>(registry);
        String subject = Topics.valueSubject(Topics.COMMANDS);
        this.commandSchemaId = registry.register(subject, InboundCommand.getClassSchema());
        this.newer = NewerContract.withChangeLabel();
        this.newerSchemaId = registry.register(subject, newer);
    }

    /** A fresh valid number for the probe that follows each fuzzed record. */
    static String probeNumber() {
        return String.format("+1999%07d", PROBES.incrementAndGet());
    }

    Arbitrary<FuzzRecord> any() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, commands()),
                Tuple.of(1, newerContractCommands()),
                Tuple.of(2, wireShapedNoise()),
                Tuple.of(1, noise()),
                Tuple.of(1, nullKeyOrValue()));
    }

    private Arbitrary<FuzzRecord> commands() {
        Arbitrary<InboundCommand> command = Combinators.combine(org(), issuedAt(), text(), phone(), payload())
                .as((org, issuedAt, actor, phone, payload) -> new InboundCommand(UUID.randomUUID(), org, issuedAt,
                        actor, phone, payload));
        return Combinators.combine(command, keyFor(), headers(), timestamp())
                .as((c, keyChoice, headers, timestamp) -> new FuzzRecord("command " + c.getPayload().getClass().getSimpleName(),
                        keyChoice == null ? c.getPhoneNumber().getBytes(StandardCharsets.UTF_8) : keyChoice,
                        serializer.serialize(Topics.COMMANDS, c), headers, timestamp));
    }

    private Arbitrary<FuzzRecord> newerContractCommands() {
        return Combinators.combine(phone(), wild(), issuedAt()).as((phone, label, issuedAt) -> new FuzzRecord(
                "command of a newer contract (ChangeLabel)", phone.getBytes(StandardCharsets.UTF_8),
                NewerContract.changeLabel(newerSchemaId, newer, new InboundCommand(UUID.randomUUID(), FUZZ_ORG,
                        issuedAt, "other-team", phone, new ReleaseNumber()), label), List.of(), null));
    }

    /** Magic byte 0, a schema id (ours, another, or any int), then anything. */
    private Arbitrary<FuzzRecord> wireShapedNoise() {
        Arbitrary<Integer> ids = Arbitraries.oneOf(Arbitraries.of(commandSchemaId, newerSchemaId, 0, -1),
                Arbitraries.integers());
        return Combinators.combine(ids, bytes(200), phone()).as((id, tail, phone) -> new FuzzRecord(
                "wire-format noise (schema id " + id + ")", phone.getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(5 + tail.length).put((byte) 0).putInt(id).put(tail).array(), List.of(), null));
    }

    private Arbitrary<FuzzRecord> noise() {
        return Combinators.combine(bytes(64).injectNull(0.2), bytes(2_000))
                .as((key, value) -> new FuzzRecord("noise", key, value, List.of(), null));
    }

    private Arbitrary<FuzzRecord> nullKeyOrValue() {
        return Arbitraries.of(
                new FuzzRecord("null key", null, "x".getBytes(StandardCharsets.UTF_8), List.of(), null),
                new FuzzRecord("null value", PHONES.get(0).getBytes(StandardCharsets.UTF_8), null, List.of(), null));
    }

    private static Arbitrary<Object> payload() {
        Arbitrary<PersonaSettings> settings = Combinators.combine(text().injectNull(0.3), longs().injectNull(0.3),
                text().injectNull(0.3)).as(PersonaSettings::new);
        return Arbitraries.oneOf(
                Combinators.combine(persona(), settings.injectNull(0.2)).as(UpdatePersonaSettings::new),
                persona().map(AttachToPersona::new),
                persona().map(DetachFromPersona::new),
                Combinators.combine(longs(), text().injectNull(0.3)).as(ProvisionNumber::new),
                Arbitraries.just(new ReleaseNumber()));
    }

    /** Mostly ordinary text (so commands get far enough to change state), sometimes {@link #wild} text. */
    private static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars("_-. ")
                .ofMinLength(1).ofMaxLength(40)), Tuple.of(1, wild()));
    }

    /** Any text: every UTF-16 unit (NUL, lone surrogates, RTL marks), empty, blank, or up to 64 KiB. */
    private static Arbitrary<String> wild() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().all().ofMaxLength(300)),
                Tuple.of(2, Arbitraries.of("", " ", "\u0000", "a\u0000b", "\u202etxt.exe", "\ud800", "\udfff\ud800",
                        "pathway_abc123", "\ufeff", "x".repeat(256))),
                Tuple.of(1, Arbitraries.strings().all().ofMinLength(60_000).ofMaxLength(65_536)));
    }

    private static Arbitrary<String> phone() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(PHONES)), Tuple.of(1, wild()));
    }

    private static Arbitrary<String> persona() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(PERSONAS)), Tuple.of(1, wild()));
    }

    private static Arbitrary<String> org() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(FUZZ_ORG, OTHER_ORG)), Tuple.of(1, wild()));
    }

    private static Arbitrary<Instant> issuedAt() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(1_700_000_000_000L, 1_900_000_000_000L)),
                Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 253_402_300_800_000L)),
                Tuple.of(1, Arbitraries.longs())).map(Instant::ofEpochMilli);
    }

    private static Arbitrary<Long> longs() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(1, 1_000),
                Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 42L));
    }

    /** Null: the key is the command's phone number, as it should be; otherwise these bytes. */
    private static Arbitrary<byte[]> keyFor() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just((byte[]) null)), Tuple.of(1, bytes(40)),
                Tuple.of(1, Arbitraries.of(PHONES).map(p -> p.getBytes(StandardCharsets.UTF_8))));
    }

    private static Arbitrary<List<Header>> headers() {
        Arbitrary<Header> replyTo = Arbitraries.oneOf(
                Arbitraries.of(Topics.REPLIES, Topics.REPLIES + ".nobody", "someone.elses.topic", ""),
                Arbitraries.strings().all().ofMaxLength(300)).map(topic ->
                new RecordHeader(Topics.REPLY_TO_HEADER, topic.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Header> correlation = bytes(100).map(b -> new RecordHeader(Topics.CORRELATION_ID_HEADER, b));
        return Combinators.combine(replyTo.injectNull(0.5), correlation.injectNull(0.5)).as((r, c) -> {
            List<Header> headers = new ArrayList<>();
            if (r != null) {
                headers.add(r);
            }
            if (c != null) {
                headers.add(c);
            }
            return headers;
        });
    }

    /**
     * The record's timestamp: null lets the producer stamp it; otherwise anywhere from 1970 to half an hour
     * ahead (the broker refuses more than its {@code log.message.timestamp.after.max.ms} ahead, an hour by default).
     */
    private static Arbitrary<Long> timestamp() {
        return Arbitraries.longs().between(0, System.currentTimeMillis() + 1_800_000L).injectNull(0.7);
    }

    private static Arbitrary<byte[]> bytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }
}
