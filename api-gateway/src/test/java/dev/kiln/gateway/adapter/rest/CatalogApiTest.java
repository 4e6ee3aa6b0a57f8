package dev.kiln.gateway.adapter.rest;

import static dev.kiln.gateway.adapter.rest.CatalogClient.create;
import static dev.kiln.gateway.adapter.rest.CatalogClient.imageHead;
import static dev.kiln.gateway.adapter.rest.CatalogClient.uniqueName;
import static dev.kiln.gateway.adapter.rest.CatalogClient.write;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.kiln.testing.KilnInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(KilnInfrastructure.class)
class CatalogApiTest {
  @Test
  void theShippedTemplatesAreListedWithTheirFiles() {
    given()
        .get("/api/v1/catalog/templates")
        .then()
        .statusCode(200)
        .body("templates.name", hasItems("static-binary", "python-app", "node-app", "go-service"))
        .body(
            "templates.find { it.name == 'python-app' }.files",
            hasItem("templates/python-app/context/requirements.txt"))
        .body("templates.find { it.name == 'go-service' }.description", startsWith("A Go service"));
  }

  @Test
  void everyShippedTemplateIsAValidDockerfile() {
    for (String template : List.of("static-binary", "python-app", "node-app", "go-service")) {
      String name = uniqueName(template);
      create(name, template).statusCode(201);
      String dockerfile =
          given().get("/api/v1/catalog/images/" + name + "/files/Dockerfile").asString();
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("dockerfile", dockerfile, "skip", List.of("UntaggedBaseImage")))
          .post("/api/v1/dockerfiles/analyze")
          .then()
          .statusCode(200)
          .body("errors", equalTo(List.of()))
          .body("findings", equalTo(List.of()));
    }
  }

  @Test
  void aCustomImageIsCreatedReadUpdatedAndDeletedOneCommitAtATime() {
    String name = uniqueName("web");
    String created =
        create(name, "python-app")
            .statusCode(201)
            .header("Location", containsString("/api/v1/catalog/images/" + name))
            .body("name", equalTo(name))
            .body("files.path", hasItem("custom/" + name + "/context/requirements.txt"))
            .body("editUrl", equalTo("https://code.example/?folder=/catalog/custom/" + name))
            .extract()
            .path("commit");

    String readme =
        given()
            .get("/api/v1/catalog/images/" + name + "/files/README.md")
            .then()
            .statusCode(200)
            .header("X-Kiln-Commit", equalTo(imageHead(name)))
            .extract()
            .asString();
    assertThat(readme).startsWith("# A Python application");

    String base = imageHead(name);
    String updated =
        write(name, "Dockerfile", "FROM python:3.12-slim\nCMD [\"python\"]\n", base)
            .statusCode(200)
            .extract()
            .path("commit");
    assertThat(updated).isNotEqualTo(base);
    given()
        .get("/api/v1/catalog/images/" + name + "/files/Dockerfile")
        .then()
        .body(equalTo("FROM python:3.12-slim\nCMD [\"python\"]\n"));
    given()
        .queryParam("commit", created)
        .get("/api/v1/catalog/images/" + name + "/files/Dockerfile")
        .then()
        .statusCode(200)
        .body(containsString("ARG PYTHON_VERSION"));

    given()
        .get("/api/v1/catalog/images/" + name + "/history")
        .then()
        .statusCode(200)
        .body("commits[0].id", equalTo(updated))
        .body("commits[0].author", equalTo("anonymous"))
        .body("commits[0].message", equalTo("Change Dockerfile"))
        .body("commits[0].paths", equalTo(List.of("custom/" + name + "/Dockerfile")))
        .body("commits[1].id", equalTo(created))
        .body("commits[1].message", equalTo("Create " + name + " from template python-app"));
    given()
        .get("/api/v1/catalog/images/" + name + "/diff")
        .then()
        .statusCode(200)
        .body("from", equalTo(created))
        .body("to", equalTo(updated))
        .body("files[0].path", equalTo("custom/" + name + "/Dockerfile"))
        .body("files[0].change", equalTo("modified"))
        .body("files[0].patch", containsString("+CMD [\"python\"]"))
        .body("files[0].patch", containsString("-ARG PYTHON_VERSION=3.12"));

    given()
        .queryParam("message", "Retire " + name)
        .delete("/api/v1/catalog/images/" + name)
        .then()
        .statusCode(200);
    given().get("/api/v1/catalog/images/" + name).then().statusCode(404);
    given().get("/api/v1/catalog/images").then().body("images.name", not(hasItem(name)));
    given()
        .get("/api/v1/catalog/images/" + name + "/history")
        .then()
        .statusCode(200)
        .body("commits[0].message", equalTo("Retire " + name));
  }

  @Test
  void theSecondOfTwoUpdatesOfOneFileFromOneCommitGetsAConflictWithTheCurrentCommit() {
    String name = uniqueName("race");
    create(name, "static-binary").statusCode(201);
    String base = imageHead(name);

    String first =
        write(name, "Dockerfile", "FROM scratch\n", base).statusCode(200).extract().path("commit");
    write(name, "Dockerfile", "FROM scratch\nUSER 1\n", base)
        .statusCode(409)
        .body("error", equalTo("conflict"))
        .body("field", equalTo("baseCommit"))
        .body("currentCommit", equalTo(first))
        .body("message", containsString("'Dockerfile' of '" + name + "' changed after " + base));

    assertThat(imageHead(name)).isEqualTo(first);
    given()
        .get("/api/v1/catalog/images/" + name + "/files/Dockerfile")
        .then()
        .body(equalTo("FROM scratch\n"));
  }

  @Test
  void updatesOfDifferentFilesFromOneCommitBothLand() {
    String name = uniqueName("parallel");
    create(name, "static-binary").statusCode(201);
    String base = imageHead(name);

    write(name, "README.md", "# readme\n", base).statusCode(200);
    String second =
        write(name, "context/extra.txt", "extra\n", base).statusCode(200).extract().path("commit");

    assertThat(imageHead(name)).isEqualTo(second);
    given()
        .get("/api/v1/catalog/images/" + name + "/files/README.md")
        .then()
        .body(equalTo("# readme\n"));
  }

  @Test
  void binaryAndExecutableFilesKeepTheirBytesAndMode() {
    String name = uniqueName("binary");
    create(name, "static-binary").statusCode(201);
    byte[] bytes = {0, 1, 2, (byte) 0xff, 10};
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "content",
                Base64.getEncoder().encodeToString(bytes),
                "encoding",
                "base64",
                "executable",
                true,
                "baseCommit",
                imageHead(name)))
        .put("/api/v1/catalog/images/" + name + "/files/context/app")
        .then()
        .statusCode(200);

    byte[] read =
        given()
            .get("/api/v1/catalog/images/" + name + "/files/context/app")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(read).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"team/web", "..", "web..old", "../etc", "Web", ""})
  void badNamesAreRefusedAndChangeNothing(String name) {
    String head = CatalogClient.head();

    create(name, "static-binary")
        .statusCode(400)
        .body("error", equalTo("invalid_field"))
        .body("field", equalTo("name"));

    assertThat(CatalogClient.head()).isEqualTo(head);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..%2Fother%2FDockerfile",
        "context%2F..%2F..%2Fother%2FDockerfile",
        "etc%2Fpasswd",
        "notes.txt",
        "context%2F.git%2Fconfig"
      })
  void pathsOutsideTheImagesFilesAreRefusedAndChangeNothing(String path) {
    String name = uniqueName("paths");
    create(name, "static-binary").statusCode(201);
    String head = imageHead(name);

    given()
        .urlEncodingEnabled(false)
        .contentType(ContentType.JSON)
        .body(Map.of("content", "x", "baseCommit", head))
        .put("/api/v1/catalog/images/" + name + "/files/" + path)
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_field"))
        .body("field", equalTo("path"));

    assertThat(imageHead(name)).isEqualTo(head);
  }

  @Test
  void anUnknownTemplateIsRefusedAndChangesNothing() {
    String name = uniqueName("nothing");
    create(name, "cobol-app")
        .statusCode(400)
        .body("error", equalTo("unknown_template"))
        .body("field", equalTo("template"))
        .body("message", containsString("python-app"));
    given().get("/api/v1/catalog/images/" + name).then().statusCode(404);
  }

  @Test
  void anUnknownTemplateChangesNothing() {
    String head = CatalogClient.head();

    create(uniqueName("nothing"), "cobol-app").statusCode(400);

    assertThat(CatalogClient.head()).isEqualTo(head);
  }

  @Test
  void aNameThatIsTakenIsAConflict() {
    String name = uniqueName("taken");
    create(name, "static-binary").statusCode(201);
    String head = imageHead(name);

    create(name, "python-app").statusCode(409).body("error", equalTo("already_exists"));

    assertThat(imageHead(name)).isEqualTo(head);
  }

  @Test
  void anUpdateMustNameAKnownBaseCommit() {
    String name = uniqueName("base");
    create(name, "static-binary").statusCode(201);

    write(name, "Dockerfile", "FROM scratch\n", null)
        .statusCode(400)
        .body("field", equalTo("baseCommit"));
    write(name, "Dockerfile", "FROM scratch\n", "0123456789abcdef0123456789abcdef01234567")
        .statusCode(400)
        .body("field", equalTo("baseCommit"));
  }

  @Test
  void aBuildOfACustomImageUsesItsFilesAndDefaultsAndRecordsTheCommit() {
    String name = uniqueName("built");
    create(name, "static-binary").statusCode(201);
    String base = imageHead(name);
    write(name, "Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n", base).statusCode(200);
    write(name, "context/hello.txt", "hello\n", imageHead(name)).statusCode(200);
    write(
            name,
            "build.yaml",
            "tags: [\"localhost:5000/team/"
                + name
                + ":1\"]\nbuildArgs: {MODE: fast}\nlabels: {team: a}\n",
            imageHead(name))
        .statusCode(200);
    String commit = imageHead(name);

    String id =
        given()
            .contentType(ContentType.JSON)
            .body("{\"source\":{\"catalog\":\"" + name + "\"},\"labels\":{\"team\":\"b\"}}")
            .post("/api/v1/builds")
            .then()
            .statusCode(202)
            .body("catalog", equalTo(name))
            .body("catalogCommit", equalTo(commit))
            .body("spec.source.dockerfile", equalTo("FROM scratch\nCOPY hello.txt /hello.txt\n"))
            .body("spec.source.context", startsWith("sha256:"))
            .body("spec.tags[0]", equalTo("localhost:5000/team/" + name + ":1"))
            .body("spec.buildArgs.MODE", equalTo("fast"))
            .body("spec.labels.team", equalTo("b"))
            .extract()
            .path("id");

    String context =
        given()
            .get("/api/v1/builds/" + id)
            .then()
            .statusCode(200)
            .body("catalogCommit", equalTo(commit))
            .extract()
            .path("spec.source.context");
    byte[] tar =
        given()
            .get("/internal/v1/contexts/" + context)
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(new String(tar, StandardCharsets.UTF_8)).contains("hello.txt").contains("hello\n");

    String retried =
        given()
            .post("/api/v1/builds/" + id + "/retry")
            .then()
            .statusCode(202)
            .body("catalogCommit", equalTo(commit))
            .extract()
            .path("id");
    assertThat(retried).isNotEqualTo(id);
  }

  @Test
  void aBuildOfACustomImageWithABadDockerfileIsRefusedNamingTheLine() {
    String name = uniqueName("broken");
    create(name, "static-binary").statusCode(201);
    write(name, "Dockerfile", "FROM scratch\nCOPY\n", imageHead(name)).statusCode(200);

    given()
        .contentType(ContentType.JSON)
        .body("{\"source\":{\"catalog\":\"" + name + "\"}}")
        .post("/api/v1/builds")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_dockerfile"))
        .body("field", equalTo("dockerfile"))
        .body("message", containsString("line 2"));
  }
}
