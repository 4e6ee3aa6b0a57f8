package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns envelopes into JSON bytes and back. Unknown fields are ignored, so a producer may add
 * fields without breaking older readers; a record of an unknown type decodes to empty.
 */
public final class EventCodec {
  private static final Map<String, Class<? extends Event>> TYPES =
      Arrays.stream(Event.class.getPermittedSubclasses())
          .map(type -> type.asSubclass(Event.class))
          .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

  private static final ObjectMapper MAPPER = newMapper();

  private EventCodec() {}

  /**
   * The JSON settings Kiln uses on the wire: ISO-8601 instants, nulls left out, unknown fields and
   * unknown enum values tolerated.
   */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
  }

  /** The shared mapper configured by {@link #newMapper()}. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] encode(Envelope envelope) {
    try {
      return MAPPER.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + envelope.type(), e);
    }
  }

  /**
   * Reads an envelope.
   *
   * @return empty when the record's type is unknown to this reader
   * @throws EventDecodingException when the bytes are not a valid envelope
   */
  public static Optional<Envelope> decode(byte[] bytes) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new EventDecodingException("record is not JSON: " + e.getMessage(), e);
    }
    if (!(tree instanceof ObjectNode node)) {
      throw new EventDecodingException("record is not a JSON object", null);
    }
    String type = node.path("type").asText(null);
    if (type == null) {
      throw new EventDecodingException("record has no type", null);
    }
    Class<? extends Event> payloadType = TYPES.get(type);
    if (payloadType == null) {
      return Optional.empty();
    }
    try {
      Event payload = MAPPER.treeToValue(node.path("payload"), payloadType);
      if (payload == null) {
        throw new EventDecodingException(type + " record has no payload", null);
      }
      return Optional.of(
          new Envelope(
              UUID.fromString(node.path("eventId").asText()),
              type,
              node.path("schemaVersion").asInt(1),
              Instant.parse(node.path("occurredAt").asText()),
              node.hasNonNull("buildId") ? node.get("buildId").asText() : null,
              payload));
    } catch (IOException | RuntimeException e) {
      if (e instanceof EventDecodingException decoding) {
        throw decoding;
      }
      throw new EventDecodingException("invalid " + type + " record: " + e.getMessage(), e);
    }
  }

  /** A record that cannot be read as an envelope. */
  public static final class EventDecodingException extends RuntimeException {
    public EventDecodingException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
