package dev.forkline.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * The envelope the JSON baselines write around each payload, the fields of Forkline's {@code events} format.
 * The payload goes in as raw JSON: every sink receives the same, already encoded, payload.
 */
@JsonPropertyOrder({"session", "branch", "step", "kind", "ts", "data"})
public final class JsonLineEvent
{
    public String session;
    public String branch;
    public long step;
    public String kind;
    public long ts;
    @JsonRawValue
    public String data;
}
