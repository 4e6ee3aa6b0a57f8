package dev.kiln.logs.adapter.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.contracts.BuildState;
import dev.kiln.logs.domain.LogEntry;
import dev.kiln.logs.domain.StreamMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamMessagesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant TS = Instant.parse("2026-01-01T00:00:00.123456Z");

  private final List<String> sent = new ArrayList<>();
  private final StreamMessages messages =
      new StreamMessages(new StreamMessageJson(MAPPER), sent::add);

  @Test
  void linesWaitForTheFlushAndLeaveAsOneMessage() {
    messages.add(line(1, 1, "one"));
    messages.add(new StreamMessage.Line(new LogEntry(1, 2, TS, "stderr", 3, "two \"quoted\"")));
    assertThat(sent).isEmpty();

    messages.flush();
    messages.flush();

    assertThat(sent).hasSize(1);
    JsonNode message = parse(sent.getFirst());
    assertThat(message.get("type").asText()).isEqualTo("log");
    assertThat(message.get("attempt").asInt()).isEqualTo(1);
    assertThat(message.get("lines")).hasSize(2);
    assertThat(message.get("lines").get(0).toString())
        .isEqualTo(
            "{\"seq\":1,\"ts\":\"2026-01-01T00:00:00.123456Z\",\"stream\":\"stdout\",\"text\":\"one\"}");
    JsonNode second = message.get("lines").get(1);
    assertThat(second.get("stream").asText()).isEqualTo("stderr");
    assertThat(second.get("step").asInt()).isEqualTo(3);
    assertThat(second.get("text").asText()).isEqualTo("two \"quoted\"");
  }

  @Test
  void anyOtherMessageSendsTheLinesBeforeIt() {
    messages.add(line(1, 1, "one"));
    messages.add(new StreamMessage.End(BuildState.SUCCEEDED));

    assertThat(sent)
        .containsExactly(
            "{\"type\":\"log\",\"attempt\":1,\"lines\":[{\"seq\":1,\"ts\":\"2026-01-01T00:00:00.123456Z\","
                + "\"stream\":\"stdout\",\"text\":\"one\"}]}",
            "{\"type\":\"end\",\"status\":\"SUCCEEDED\"}");
  }

  @Test
  void aNewAttemptStartsANewMessage() {
    messages.add(line(1, 7, "old"));
    messages.add(line(2, 1, "new"));
    messages.flush();

    assertThat(sent).extracting(text -> parse(text).get("attempt").asInt()).containsExactly(1, 2);
  }

  @Test
  void aMessageHoldsAtMostItsLineCount() {
    for (int seq = 1; seq <= StreamMessages.BATCH_LINES * 2 + 1; seq++) {
      messages.add(line(1, seq, "x"));
    }
    messages.flush();

    assertThat(sent)
        .extracting(text -> parse(text).get("lines").size())
        .containsExactly(StreamMessages.BATCH_LINES, StreamMessages.BATCH_LINES, 1);
  }

  @Test
  void longLinesSplitMessagesByTextSizeButALineIsNeverCut() {
    String half = "h".repeat(StreamMessages.BATCH_CHARS / 2);
    String whole = "w".repeat(StreamMessages.BATCH_CHARS + 10);
    messages.add(line(1, 1, half));
    messages.add(line(1, 2, half));
    messages.add(line(1, 3, "x"));
    messages.add(line(1, 4, whole));
    messages.add(line(1, 5, "y"));
    messages.flush();

    assertThat(sent)
        .extracting(text -> parse(text).get("lines").findValuesAsText("seq").toString())
        .containsExactly("[1, 2]", "[3]", "[4]", "[5]");
    assertThat(parse(sent.get(2)).get("lines").get(0).get("text").asText()).isEqualTo(whole);
  }

  private static StreamMessage line(int attempt, long seq, String text) {
    return new StreamMessage.Line(new LogEntry(attempt, seq, TS, "stdout", null, text));
  }

  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
