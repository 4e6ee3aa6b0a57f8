package dev.kiln.gateway.adapter.rest;

import static dev.kiln.gateway.adapter.rest.CatalogClient.create;
import static dev.kiln.gateway.adapter.rest.CatalogClient.head;
import static dev.kiln.gateway.adapter.rest.CatalogClient.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups go to local bare repositories, as any git remote would take them. */
@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class CatalogBackupTest {
  @TempDir Path folder;

  private static ValidatableResponse call(String what, String url) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("url", url, "username", "backup", "password", "not-logged"))
        .post("/api/v1/catalog/" + what)
        .then();
  }

  private Path bareRemote(String name) throws Exception {
    Path remote = folder.resolve(name + ".git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(remote.toFile()).call().close();
    return remote;
  }

  private static String remoteHead(Path remote) throws Exception {
    try (Git git = Git.open(remote.toFile())) {
      ObjectId id = git.getRepository().resolve("refs/heads/main");
      return id == null ? null : id.name();
    }
  }

  @Test
  void aBackupPushesTheCatalogAndARestoreBringsItBackSayingWhatChanged() throws Exception {
    Path remote = bareRemote("backup");
    String kept = uniqueName("kept");
    create(kept, "static-binary").statusCode(201);
    String backedUp = head();

    call("backup", remote.toUri().toString())
        .statusCode(200)
        .body("commit", equalTo(backedUp))
        .body("branch", equalTo("main"));
    assertThat(remoteHead(remote)).isEqualTo(backedUp);

    String lost = uniqueName("lost");
    create(lost, "node-app").statusCode(201);
    String afterwards = head();

    call("restore", remote.toUri().toString())
        .statusCode(200)
        .body("from", equalTo(afterwards))
        .body("to", equalTo(backedUp))
        .body("changes.path", hasItem("custom/" + lost + "/Dockerfile"))
        .body(
            "changes.find { it.path == 'custom/" + lost + "/Dockerfile' }.change",
            equalTo("deleted"));

    assertThat(head()).isEqualTo(backedUp);
    given().get("/api/v1/catalog/images/" + lost).then().statusCode(404);
    given().get("/api/v1/catalog/images/" + kept).then().statusCode(200);
  }

  @Test
  void aRemoteThatRefusesThePushLeavesTheCatalogAsItWas() throws Exception {
    Path remote = bareRemote("diverged");
    Path other = folder.resolve("other");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(other.toFile()).call()) {
      Files.writeString(other.resolve("unrelated.txt"), "someone else's history\n");
      git.add().addFilepattern("unrelated.txt").call();
      git.commit().setMessage("Unrelated").setAuthor("other", "other@example.com").call();
      git.push().setRemote(remote.toUri().toString()).add("main").call();
    }
    String remoteBefore = remoteHead(remote);
    create(uniqueName("refused"), "static-binary").statusCode(201);
    String before = head();

    call("backup", remote.toUri().toString())
        .statusCode(409)
        .body("error", equalTo("remote_rejected"))
        .body("field", equalTo("url"))
        .body("message", containsString("refused the push"))
        .body("message", containsString("not a fast-forward"));

    assertThat(head()).isEqualTo(before);
    assertThat(remoteHead(remote)).isEqualTo(remoteBefore);
    try (Repository local = Git.open(catalogRepository().toFile()).getRepository()) {
      assertThat(local.getRefDatabase().getRefs())
          .extracting("name")
          .containsOnly("refs/heads/main", "HEAD");
    }
  }

  @Test
  void anUnreachableRemoteFailsBackupAndRestoreAndLeavesTheCatalogAsItWas() {
    create(uniqueName("unreachable"), "static-binary").statusCode(201);
    String before = head();
    String nowhere = folder.resolve("nowhere.git").toUri().toString();

    call("backup", nowhere)
        .statusCode(502)
        .body("error", equalTo("remote_unavailable"))
        .body("message", containsString("cannot push to " + nowhere));
    call("restore", nowhere)
        .statusCode(502)
        .body("error", equalTo("remote_unavailable"))
        .body("message", containsString("the catalog is unchanged"));

    assertThat(head()).isEqualTo(before);
  }

  @Test
  void aRestoreFromARemoteWithoutTheBranchChangesNothing() throws Exception {
    Path empty = bareRemote("empty");
    create(uniqueName("stays"), "static-binary").statusCode(201);
    String before = head();

    call("restore", empty.toUri().toString()).statusCode(502);

    assertThat(head()).isEqualTo(before);
  }

  private static Path catalogRepository() {
    return Path.of("target/gateway-data/catalog.git").toAbsolutePath();
  }
}
