package dev.kiln.gateway.adapter.persistence;

import dev.kiln.contracts.Digest;
import dev.kiln.gateway.app.DataDirectory;
import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.app.ImageArchiveStore;
import dev.kiln.gateway.app.ReceivedUpload;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;

/**
 * Image archives in {@code <data-dir>/images/<build id>.tar}, recorded in {@code
 * gateway.image_archives}.
 */
@ApplicationScoped
public class JdbcImageArchiveStore implements ImageArchiveStore {
  private final Transactions transactions;
  private final DataDirectory data;

  public JdbcImageArchiveStore(Transactions transactions, DataDirectory data) {
    this.transactions = transactions;
    this.data = data;
  }

  @Override
  public void keep(String buildId, ReceivedUpload upload) {
    try {
      Files.move(
          upload.file(),
          file(buildId),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new Failures.StorageUnavailable(
          "cannot keep the image archive in the data directory", e);
    }
    transactions.run(
        "the image archive could not be recorded",
        connection -> {
          try (PreparedStatement upsert =
              connection.prepareStatement(
                  "insert into gateway.image_archives (build_id, digest, size) values (?, ?, ?)"
                      + " on conflict (build_id) do update set digest = excluded.digest,"
                      + " size = excluded.size, created_at = now()")) {
            upsert.setObject(1, UUID.fromString(buildId));
            upsert.setString(2, upload.digest().toString());
            upsert.setLong(3, upload.size());
            return upsert.executeUpdate();
          }
        });
  }

  @Override
  public Optional<StoredArchive> find(String buildId) {
    return transactions
        .run(
            "the image archive could not be looked up",
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "select digest, size from gateway.image_archives where build_id = ?")) {
                select.setObject(1, UUID.fromString(buildId));
                try (ResultSet row = select.executeQuery()) {
                  return row.next()
                      ? Optional.of(
                          new StoredArchive(
                              buildId,
                              Digest.parse(row.getString("digest")),
                              row.getLong("size"),
                              file(buildId)))
                      : Optional.<StoredArchive>empty();
                }
              }
            })
        .filter(archive -> Files.isRegularFile(archive.file()));
  }

  private Path file(String buildId) {
    return data.images().resolve(buildId + ".tar");
  }
}
