package dev.kiln.logs.adapter.ws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StepEvent;
import dev.kiln.logs.domain.StreamMessage;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/**
 * Writes stream messages as the JSON text messages of the live log stream. Lines travel in {@code
 * log} messages of one or more lines each; the other messages carry one event each.
 */
@Singleton
class StreamMessageJson {
  private final ObjectMapper mapper;
  // Keyed by identity, each kept while its line is: as long as some stream may still send it.
  private final Cache<LogEntry, String> lineJson = Caffeine.newBuilder().weakKeys().build();

  StreamMessageJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A {@code log} message of consecutive lines of one attempt. Each line is written once, however
   * many streams send it: the streams that follow a build live all send the same line objects.
   */
  String lines(List<LogEntry> entries) {
    StringBuilder out = new StringBuilder(entries.size() * 160);
    out.append("{\"type\":\"log\",\"attempt\":").append(entries.getFirst().attempt());
    out.append(",\"lines\":[");
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(lineJson.get(entries.get(i), this::line));
    }
    return out.append("]}").toString();
  }

  private String line(LogEntry entry) {
    StringWriter out = new StringWriter(entry.text().length() + 96);
    try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("seq", entry.seq());
      json.writeStringField("ts", entry.ts().toString());
      json.writeStringField("stream", entry.stream());
      if (entry.step() != null) {
        json.writeNumberField("step", entry.step());
      }
      json.writeStringField("text", entry.text());
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a log line", e);
    }
    return out.toString();
  }

  /** Any message but a line. */
  String encode(StreamMessage message) {
    ObjectNode node =
        switch (message) {
          case StreamMessage.Line line ->
              throw new IllegalArgumentException("lines are written with lines()");
          case StreamMessage.Step step -> step(step.step());
          case StreamMessage.Status status -> status(status.status());
          case StreamMessage.End end ->
              mapper.createObjectNode().put("type", "end").put("status", end.status().name());
        };
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a stream message", e);
    }
  }

  private ObjectNode step(StepEvent step) {
    ObjectNode node =
        mapper
            .createObjectNode()
            .put("type", "step")
            .put("event", step.kind().label())
            .put("attempt", step.attempt())
            .put("step", step.step())
            .put("stage", step.stage())
            .put("stages", step.stages())
            .put("index", step.index())
            .put("total", step.total())
            .put("instruction", step.instruction());
    if (step.line() != null) {
      node.put("line", step.line());
    }
    if (step.kind() == StepEvent.Kind.FINISHED) {
      node.put("cached", Boolean.TRUE.equals(step.cached()))
          .put("failed", Boolean.TRUE.equals(step.failed()))
          .put("durationMs", step.durationMs() == null ? 0 : step.durationMs());
      if (step.layer() != null) {
        node.put("layer", step.layer());
      }
    }
    return node.put("seq", step.seq());
  }

  private ObjectNode status(BuildStatus status) {
    ObjectNode node = mapper.createObjectNode().put("type", "status");
    node.put("from", status.from() == null ? null : status.from().name())
        .put("to", status.to().name())
        .put("attempt", status.attempt());
    if (status.workerId() != null) {
      node.put("workerId", status.workerId());
    }
    if (status.reason() != null) {
      node.put("reason", status.reason());
    }
    if (status.lastSeq() != null) {
      node.put("lastSeq", status.lastSeq());
    }
    return node;
  }
}
