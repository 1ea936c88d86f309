package com.personasettings.processor.stream;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes the topology needs; in production all share one schema registry client. */
public record TopologySerdes(Serde<InboundCommand> command, Serde<CommandOutcome> outcome, Serde<InboundNumber> number) {
}
