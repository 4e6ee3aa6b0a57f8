package dev.kiln.worker.adapter.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAuthTest {
  @TempDir Path temp;

  @Test
  void dockerConfigAndPerRegistrySettingsMergeIntoOnePrivateAuthFile() throws IOException {
    Path config = temp.resolve("config.json");
    String fromFile =
        Base64.getEncoder().encodeToString("ci:file-pass".getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        config,
        "{\"auths\":{\"registry.example\":{\"auth\":\"" + fromFile + "\"}},\"credsStore\":\"x\"}");

    RegistryAuth.Written written =
        RegistryAuth.write(
            config, Map.of("127.0.0.1:5000", "kiln:setting-pass"), temp.resolve("auth.json"));

    JsonNode auths = new ObjectMapper().readTree(written.file().toFile()).path("auths");
    assertThat(auths.path("registry.example").path("auth").asText()).isEqualTo(fromFile);
    assertThat(
            new String(
                Base64.getDecoder().decode(auths.path("127.0.0.1:5000").path("auth").asText()),
                StandardCharsets.UTF_8))
        .isEqualTo("kiln:setting-pass");
    assertThat(written.secrets()).contains("file-pass", "setting-pass", fromFile);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.file())))
        .isEqualTo("rw-------");
  }
}
