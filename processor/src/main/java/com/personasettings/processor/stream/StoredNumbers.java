package com.personasettings.processor.stream;

import com.personasettings.domain.NumberState;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The live processor's numbers for one record: the "numbers" store, and each change also published to
 * {@code persona.inbound.numbers} (a tombstone when the number is released) with the timestamp of the command
 * record that made it.
 */
record StoredNumbers(KeyValueStore<String, byte[]> store, NumberCodec codec, ProcessorContext<Object, Object> context,
                     long timestamp) implements CommandHandler.Numbers {

    @Override
    public NumberState get(String phoneNumber) {
        return codec.decode(store.get(phoneNumber));
    }

    @Override
    public void put(String phoneNumber, NumberState next) {
        byte[] value = codec.encode(next);
        if (value == null) {
            store.delete(phoneNumber);
        } else {
            store.put(phoneNumber, value);
        }
        context.forward(new Record<Object, Object>(phoneNumber, value, timestamp), CommandTopology.NUMBERS_SINK);
    }

    @Override
    public List<NumberState> all() {
        List<NumberState> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> each = store.all()) {
            each.forEachRemaining(entry -> all.add(codec.decode(entry.value)));
        }
        return all;
    }
}
