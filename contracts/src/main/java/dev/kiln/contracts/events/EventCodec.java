package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
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
   * The JSON settings Kiln uses on the wire: ISO-8601 instants (read by {@link WireInstants}),
   * nulls left out, unknown fields and unknown enum values tolerated.
   */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(
            new SimpleModule("kiln-wire")
                .addDeserializer(Instant.class, new WireInstants.Deserializer()))
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
    // One pass over the bytes: producers write the type before the payload, which is then bound
    // straight to its record. A payload that comes first is kept as a tree until the type is known.
    Fields fields = new Fields();
    try (JsonParser parser = MAPPER.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new EventDecodingException("record is not a JSON object", null);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "eventId" -> fields.eventId = text(parser, value);
          case "type" -> fields.type = text(parser, value);
          case "schemaVersion" -> fields.schemaVersion = parser.getValueAsInt(1);
          case "occurredAt" -> fields.occurredAt = text(parser, value);
          case "buildId" -> fields.buildId = text(parser, value);
          case "payload" -> fields.readPayload(parser, value);
          default -> parser.skipChildren();
        }
      }
    } catch (JsonParseException e) {
      throw new EventDecodingException("record is not JSON: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof EventDecodingException decoding) {
        throw decoding;
      }
      throw new EventDecodingException("invalid " + fields.type + " record: " + e.getMessage(), e);
    }
    return fields.envelope();
  }

  private static String text(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value.isStructStart()) {
      parser.skipChildren();
      return null;
    }
    return parser.getValueAsString();
  }

  /** The envelope's fields as they are read. */
  private static final class Fields {
    String eventId;
    String type;
    int schemaVersion = 1;
    String occurredAt;
    String buildId;
    boolean payloadSeen;
    Event payload;
    JsonNode payloadTree;

    void readPayload(JsonParser parser, JsonToken value) throws IOException {
      payloadSeen = true;
      if (value == JsonToken.VALUE_NULL) {
        return;
      }
      if (type == null) {
        payloadTree = MAPPER.readTree(parser);
      } else if (TYPES.containsKey(type)) {
        payload = MAPPER.readValue(parser, TYPES.get(type));
      } else {
        parser.skipChildren();
      }
    }

    Optional<Envelope> envelope() {
      if (type == null) {
        throw new EventDecodingException("record has no type", null);
      }
      Class<? extends Event> payloadType = TYPES.get(type);
      if (payloadType == null) {
        return Optional.empty();
      }
      try {
        if (payload == null && payloadTree != null) {
          payload = MAPPER.treeToValue(payloadTree, payloadType);
        }
        if (payload == null) {
          throw new EventDecodingException(type + " record has no payload", null);
        }
        if (eventId == null || occurredAt == null) {
          throw new EventDecodingException(
              type + " record has no " + (eventId == null ? "eventId" : "occurredAt"), null);
        }
        return Optional.of(
            new Envelope(
                UUID.fromString(eventId),
                type,
                schemaVersion,
                WireInstants.parse(occurredAt),
                buildId,
                payload));
      } catch (IOException | RuntimeException e) {
        if (e instanceof EventDecodingException decoding) {
          throw decoding;
        }
        throw new EventDecodingException("invalid " + type + " record: " + e.getMessage(), e);
      }
    }
  }

  /** A record that cannot be read as an envelope. */
  public static final class EventDecodingException extends RuntimeException {
    public EventDecodingException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
