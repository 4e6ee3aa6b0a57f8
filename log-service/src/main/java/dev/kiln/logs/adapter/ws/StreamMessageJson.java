package dev.kiln.logs.adapter.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.logs.domain.BuildStatus;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StepEvent;
import dev.kiln.logs.domain.StreamMessage;

/** Writes stream messages as the JSON text messages of the live log stream. */
final class StreamMessageJson {
  private final ObjectMapper mapper;

  StreamMessageJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  String encode(StreamMessage message) {
    ObjectNode node =
        switch (message) {
          case StreamMessage.Line line -> line(line.entry());
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

  private ObjectNode line(LogEntry entry) {
    ObjectNode node =
        mapper
            .createObjectNode()
            .put("type", "log")
            .put("attempt", entry.attempt())
            .put("seq", entry.seq())
            .put("ts", entry.ts().toString())
            .put("stream", entry.stream());
    if (entry.step() != null) {
      node.put("step", entry.step());
    }
    return node.put("text", entry.text());
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
