package dev.kiln.gateway.adapter.persistence;

import dev.kiln.gateway.app.TokenStore;
import dev.kiln.gateway.domain.ApiToken;
import dev.kiln.gateway.domain.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** API tokens in {@code gateway.api_tokens}. */
@ApplicationScoped
public class JdbcTokenStore implements TokenStore {
  private static final String COLUMNS = "id, name, role, created_at, created_by, revoked_at";

  private final Transactions transactions;

  public JdbcTokenStore(Transactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void insert(ApiToken token, String secretHash) {
    transactions.run(
        "the token could not be stored",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "insert into gateway.api_tokens (id, name, role, token_hash, created_at,"
                      + " created_by) values (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, token.id());
            insert.setString(2, token.name());
            insert.setString(3, token.role().wireName());
            insert.setString(4, secretHash);
            insert.setTimestamp(5, Timestamp.from(token.createdAt()));
            insert.setString(6, token.createdBy());
            insert.executeUpdate();
            return null;
          }
        });
  }

  @Override
  public Optional<ApiToken> findByHash(String secretHash) {
    return transactions.run(
        "the token could not be checked",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select " + COLUMNS + " from gateway.api_tokens where token_hash = ?")) {
            select.setString(1, secretHash);
            try (ResultSet row = select.executeQuery()) {
              return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<ApiToken> list() {
    return transactions.run(
        "the tokens could not be read",
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "select " + COLUMNS + " from gateway.api_tokens order by created_at desc");
              ResultSet rows = select.executeQuery()) {
            List<ApiToken> tokens = new ArrayList<>();
            while (rows.next()) {
              tokens.add(read(rows));
            }
            return tokens;
          }
        });
  }

  @Override
  public Optional<ApiToken> revoke(String id) {
    return transactions.run(
        "the token could not be revoked",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "update gateway.api_tokens set revoked_at = coalesce(revoked_at, now())"
                      + " where id = ? returning "
                      + COLUMNS)) {
            update.setString(1, id);
            try (ResultSet row = update.executeQuery()) {
              return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean hasValidAdmin() {
    return transactions.run(
        "the tokens could not be read",
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "select 1 from gateway.api_tokens where role = 'admin' and revoked_at is null"
                          + " limit 1");
              ResultSet row = select.executeQuery()) {
            return row.next();
          }
        });
  }

  private static ApiToken read(ResultSet row) throws SQLException {
    Timestamp revoked = row.getTimestamp("revoked_at");
    return new ApiToken(
        row.getString("id"),
        row.getString("name"),
        Role.parse(row.getString("role")),
        row.getTimestamp("created_at").toInstant(),
        row.getString("created_by"),
        revoked == null ? null : revoked.toInstant());
  }
}
