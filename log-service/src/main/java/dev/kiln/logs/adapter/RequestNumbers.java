package dev.kiln.logs.adapter;

/** Reads whole numbers from query parameters, naming the parameter when one is wrong. */
public final class RequestNumbers {
  private RequestNumbers() {}

  /** A query parameter that is not a whole number in its range. */
  public static final class BadNumberException extends IllegalArgumentException {
    private final String parameter;

    BadNumberException(String parameter, String message) {
      super(message);
      this.parameter = parameter;
    }

    public String parameter() {
      return parameter;
    }
  }

  /**
   * The parameter's value, or {@code absent} when it is not given.
   *
   * @throws BadNumberException when it is not a whole number from {@code min} to {@code max}
   */
  public static Long read(String parameter, String value, Long absent, long min, long max) {
    if (value == null || value.isEmpty()) {
      return absent;
    }
    long number;
    try {
      number = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw outOfRange(parameter, value, min, max);
    }
    if (number < min || number > max) {
      throw outOfRange(parameter, value, min, max);
    }
    return number;
  }

  private static BadNumberException outOfRange(String parameter, String value, long min, long max) {
    String range = max == Long.MAX_VALUE ? "from " + min : "from " + min + " to " + max;
    return new BadNumberException(
        parameter, parameter + " must be a whole number " + range + ", not '" + value + "'");
  }
}
