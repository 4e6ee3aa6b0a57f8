package dev.kiln.gateway.adapter.persistence;

import dev.kiln.contracts.Digest;
import dev.kiln.gateway.app.ContextStore;
import dev.kiln.gateway.app.DataDirectory;
import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.app.ReceivedUpload;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Context bytes in {@code <data-dir>/contexts/sha256/<hex>}, recorded in {@code gateway.contexts}.
 * The file is in place before its row exists, so a recorded context can always be served.
 */
@ApplicationScoped
public class JdbcContextStore implements ContextStore {
  private final Transactions transactions;
  private final DataDirectory data;

  public JdbcContextStore(Transactions transactions, DataDirectory data) {
    this.transactions = transactions;
    this.data = data;
  }

  @Override
  public void keep(ReceivedUpload upload, boolean gzip) {
    Path target = file(upload.digest());
    try {
      if (!Files.exists(target)) {
        Files.move(upload.file(), target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (FileAlreadyExistsException e) {
      // The same bytes arrived twice at once; either copy will do.
    } catch (IOException e) {
      throw new Failures.StorageUnavailable("cannot keep the context in the data directory", e);
    }
    transactions.run(
        "the context could not be recorded",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "insert into gateway.contexts (digest, size, gzip) values (?, ?, ?)"
                      + " on conflict do nothing")) {
            insert.setString(1, upload.digest().toString());
            insert.setLong(2, upload.size());
            insert.setBoolean(3, gzip);
            return insert.executeUpdate();
          }
        });
  }

  @Override
  public boolean exists(Digest digest) {
    return find(digest).isPresent();
  }

  @Override
  public Optional<StoredContext> find(Digest digest) {
    return transactions
        .run(
            "the context could not be looked up",
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "select size, gzip from gateway.contexts where digest = ?")) {
                select.setString(1, digest.toString());
                try (ResultSet row = select.executeQuery()) {
                  return row.next()
                      ? Optional.of(
                          new StoredContext(
                              digest, row.getLong("size"), row.getBoolean("gzip"), file(digest)))
                      : Optional.<StoredContext>empty();
                }
              }
            })
        .filter(context -> Files.isRegularFile(context.file()));
  }

  private Path file(Digest digest) {
    return data.contexts().resolve(digest.hex());
  }
}
