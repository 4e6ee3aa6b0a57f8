package dev.kiln.gateway.adapter.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.gateway.app.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads small JSON request bodies strictly: a misspelt field is an error, not a silent default, and
 * every error names the field at fault in Jackson's path form ({@code tags[0]}, {@code
 * source.context}).
 */
final class JsonBodies {
  private static final ObjectMapper STRICT =
      EventCodec.newMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE);

  private JsonBodies() {}

  /**
   * Reads a body that must be there.
   *
   * @param declaredLength the request's Content-Length, or {@code null}
   * @param limit the most bytes accepted
   */
  static <T> T read(InputStream body, Long declaredLength, int limit, Class<T> type) {
    return readOptional(body, declaredLength, limit, type)
        .orElseThrow(
            () ->
                new Failures.RequestRejected(
                    "malformed_json", "the body is empty; send a JSON object", null));
  }

  /** Reads a body that may be left out; an empty body gives empty. */
  static <T> Optional<T> readOptional(
      InputStream body, Long declaredLength, int limit, Class<T> type) {
    byte[] bytes = readAtMost(body, declaredLength, limit);
    if (bytes.length == 0) {
      return Optional.empty();
    }
    try {
      T value = STRICT.readValue(bytes, type);
      if (value == null) {
        throw new Failures.RequestRejected(
            "malformed_json", "the body is null; send a JSON object", null);
      }
      return Optional.of(value);
    } catch (StreamReadException e) {
      throw new Failures.RequestRejected(
          "malformed_json",
          "the body is not valid JSON: " + e.getOriginalMessage() + at(e.getLocation()),
          null);
    } catch (UnrecognizedPropertyException e) {
      throw unknownField(e);
    } catch (InvalidFormatException e) {
      throw invalidValue(e);
    } catch (JsonMappingException e) {
      if (e.getOriginalMessage().startsWith("Trailing token")) {
        throw new Failures.RequestRejected(
            "malformed_json", "the body goes on after its JSON object" + at(e.getLocation()), null);
      }
      throw invalidField(e, type);
    } catch (IOException e) {
      throw new Failures.UploadInterrupted(e);
    }
  }

  private static byte[] readAtMost(InputStream body, Long declaredLength, int limit) {
    if (declaredLength != null && declaredLength > limit) {
      throw new Failures.UploadTooLarge("the body", limit);
    }
    try {
      byte[] bytes = body.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new Failures.UploadTooLarge("the body", limit);
      }
      return bytes;
    } catch (IOException e) {
      throw new Failures.UploadInterrupted(e);
    }
  }

  private static Failures.RequestRejected unknownField(UnrecognizedPropertyException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    String parent = path(path.subList(0, path.size() - 1));
    if (parent.equals("source")) {
      return new Failures.RequestRejected(
          "invalid_field",
          "unknown source kind '"
              + e.getPropertyName()
              + "': give one of git, context, dockerfile or catalog",
          "source");
    }
    String known =
        e.getKnownPropertyIds().stream()
            .map(String::valueOf)
            .sorted()
            .collect(Collectors.joining(", "));
    return new Failures.RequestRejected(
        "unknown_field",
        "unknown field '" + e.getPropertyName() + "'; known fields here: " + known,
        path(path));
  }

  private static Failures.RequestRejected invalidValue(InvalidFormatException e) {
    String field = path(e.getPath());
    Class<?> target = e.getTargetType();
    String message =
        target != null && target.isEnum()
            ? "'" + e.getValue() + "' is not one of " + String.join(", ", enumNames(target))
            : e.getOriginalMessage();
    return new Failures.RequestRejected("invalid_field", message, field.isEmpty() ? null : field);
  }

  /** The names an enum has in JSON: its {@code @JsonProperty} names where it declares them. */
  private static List<String> enumNames(Class<?> type) {
    return Arrays.stream(type.getFields())
        .filter(Field::isEnumConstant)
        .map(
            constant -> {
              JsonProperty name = constant.getAnnotation(JsonProperty.class);
              return name != null ? name.value() : constant.getName();
            })
        .toList();
  }

  /**
   * A record refusing its values (its compact constructor threw) fails as a whole, so Jackson's
   * path ends at the record; its message names the component at fault first, which is added to the
   * path when it is one of the record's components.
   */
  private static Failures.RequestRejected invalidField(JsonMappingException e, Class<?> root) {
    String field = path(e.getPath());
    String message = e.getOriginalMessage();
    if (e instanceof ValueInstantiationException instantiation) {
      Throwable cause = instantiation.getCause();
      message = cause != null && cause.getMessage() != null ? cause.getMessage() : "invalid value";
      Class<?> failed =
          instantiation.getType() != null ? instantiation.getType().getRawClass() : root;
      String component = firstWordIfComponent(message, failed);
      if (component != null) {
        field = field.isEmpty() ? component : field + "." + component;
      }
    }
    return new Failures.RequestRejected("invalid_field", message, field.isEmpty() ? null : field);
  }

  private static String firstWordIfComponent(String message, Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    if (components == null) {
      return null;
    }
    String first = message.split("[ :']", 2)[0];
    return Arrays.stream(components)
        .map(RecordComponent::getName)
        .filter(first::equals)
        .findFirst()
        .orElse(null);
  }

  static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String at(JsonLocation location) {
    return location == null
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
