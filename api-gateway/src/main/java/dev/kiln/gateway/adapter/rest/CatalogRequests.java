package dev.kiln.gateway.adapter.rest;

import dev.kiln.gateway.app.Failures;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Bodies of the catalog's write calls. */
final class CatalogRequests {
  private CatalogRequests() {}

  /**
   * {@code POST /api/v1/catalog/images}.
   *
   * @param name the new custom image's name
   * @param template the template it starts as a copy of
   * @param message the commit message; a default says what happened
   */
  record CreateImage(String name, String template, String message) {}

  /**
   * {@code PUT /api/v1/catalog/images/{name}/files/{path}}.
   *
   * @param content the file's new content
   * @param encoding {@code utf-8} (the default) or {@code base64}, for binary files
   * @param executable whether the file is executable; left out keeps what it was
   * @param baseCommit the catalog commit the file was read at
   * @param message the commit message
   */
  record WriteFile(
      String content, String encoding, Boolean executable, String baseCommit, String message) {
    WriteFile {
      if (content == null) {
        throw new IllegalArgumentException("content is missing: give the file's new content");
      }
      if (encoding != null && !encoding.equals("utf-8") && !encoding.equals("base64")) {
        throw new IllegalArgumentException("encoding must be utf-8 or base64");
      }
    }

    byte[] bytes() {
      if ("base64".equals(encoding)) {
        try {
          return Base64.getDecoder().decode(content);
        } catch (IllegalArgumentException e) {
          throw new Failures.RequestRejected(
              "invalid_field", "content is not valid base64: " + e.getMessage(), "content");
        }
      }
      return content.getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * {@code POST /api/v1/catalog/backup} and {@code …/restore}.
   *
   * @param url the remote repository ({@code https://…}, {@code file://…})
   * @param username who to sign in as, if the remote asks
   * @param password the password or token; used for this call only, never stored or logged
   * @param branch the remote's branch, {@code main} when left out
   */
  record RemoteRequest(String url, String username, String password, String branch) {
    RemoteRequest {
      branch = branch == null || branch.isBlank() ? "main" : branch;
      if (!branch.matches("[A-Za-z0-9._/-]+") || branch.contains("..")) {
        throw new IllegalArgumentException("branch '" + branch + "' is not a branch name");
      }
    }

    @Override
    public String toString() {
      return "RemoteRequest[url=" + url + ", branch=" + branch + "]";
    }
  }
}
