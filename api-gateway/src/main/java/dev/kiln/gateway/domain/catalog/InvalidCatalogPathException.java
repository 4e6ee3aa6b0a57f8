package dev.kiln.gateway.domain.catalog;

/** A catalog name or path that would reach where it must not. */
public class InvalidCatalogPathException extends RuntimeException {
  private final String field;

  public InvalidCatalogPathException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The request field at fault: {@code name} or {@code path}. */
  public String field() {
    return field;
  }
}
