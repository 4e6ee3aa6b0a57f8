package dev.kiln.gateway.adapter.rest;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The catalog API as a client calls it. */
final class CatalogClient {
  private CatalogClient() {}

  /** A name no other test uses. */
  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String head() {
    return given().get("/api/v1/catalog").then().statusCode(200).extract().path("head");
  }

  static ValidatableResponse create(String name, String template) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("template", template);
    return given().contentType(ContentType.JSON).body(body).post("/api/v1/catalog/images").then();
  }

  static ValidatableResponse write(String name, String path, String content, String base) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("content", content);
    body.put("baseCommit", base);
    body.put("message", "Change " + path);
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .put("/api/v1/catalog/images/" + name + "/files/" + path)
        .then();
  }

  static String imageHead(String name) {
    return given()
        .get("/api/v1/catalog/images/" + name)
        .then()
        .statusCode(200)
        .extract()
        .path("head");
  }
}
