package dev.kiln.dockerfile;

import java.util.List;

/**
 * One instruction as written: its physical lines joined without their continuation characters and
 * without the comments between them, followed by its heredoc bodies.
 *
 * @param text the instruction line, continuation lines joined
 * @param lines the physical lines it spans, heredoc bodies included
 * @param heredocs the heredocs its line opens, in order, with their content
 * @param emptyContinuation whether an empty line sat inside its continuation
 */
record SourceLine(
    String text, LineRange lines, List<Heredoc> heredocs, boolean emptyContinuation) {}
