package com.personasettings.processor.stream;

import com.personasettings.processor.stream.CommandHandler.Personas;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The live processor's retired personas for one task: the "retired-personas" store, keyed by org and persona id.
 * The value is a marker: a retirement is forever (persona ids are never reused).
 */
record RetiredPersonaStore(KeyValueStore<String, byte[]> store) implements Personas {

    private static final byte[] RETIRED = new byte[0];

    @Override
    public boolean isRetired(String orgId, String personaId) {
        return store.get(Personas.key(orgId, personaId)) != null;
    }

    @Override
    public void retire(String orgId, String personaId) {
        store.put(Personas.key(orgId, personaId), RETIRED);
    }
}
