package dev.kiln.context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds tar archives in memory, entry by entry, the way a client would upload them. */
final class Tars {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

  private Tars() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  static Tars tar() {
    return new Tars();
  }

  Tars file(String name, String content) {
    return file(name, content, 0644);
  }

  Tars file(String name, String content, int mode) {
    byte[] text = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(text.length);
    entry.setMode(0100000 | mode);
    return add(entry, text);
  }

  Tars dir(String name) {
    return dir(name, 0755);
  }

  Tars dir(String name, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    entry.setMode(040000 | mode);
    return add(entry, null);
  }

  Tars symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    entry.setLinkName(target);
    return add(entry, null);
  }

  Tars hardlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    entry.setLinkName(target);
    return add(entry, null);
  }

  private Tars add(TarArchiveEntry entry, byte[] content) {
    try {
      tar.putArchiveEntry(entry);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] bytes() {
    try {
      tar.finish();
      tar.close();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] gzipped() {
    byte[] plain = bytes();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(compressed)) {
      gzip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return compressed.toByteArray();
  }
}
