package dev.kiln.dockerfile;

/**
 * A here-document given to {@code RUN}, {@code COPY} or {@code ADD} ({@code <<EOF} … {@code EOF}).
 *
 * @param name the delimiter word, which is also the file name a COPY source heredoc gets
 * @param content the lines between the instruction and the delimiter, each ending in a newline
 * @param expand whether variables in it are expanded: not when the delimiter was quoted
 * @param chomp whether leading tabs were stripped ({@code <<-EOF})
 * @param fileDescriptor the descriptor it is given on ({@code 3<<EOF}); 0 for standard input
 */
public record Heredoc(
    String name, String content, boolean expand, boolean chomp, int fileDescriptor) {}
