/**
 * The {@code gradguard} command line: {@code train}, {@code diagnose}, {@code compare}, {@code
 * lr-find} and {@code report}, parsed with picocli. {@link org.gradguard.cli.Main} is the entry
 * point (the launcher {@code ./gradguard} at the repository root runs it); {@link
 * org.gradguard.cli.Errors} is the one place that turns exceptions into one-line messages and exit
 * codes ({@link org.gradguard.cli.ExitCodes}): 0 success, 1 diverged or {@code --fail-on}
 * triggered, 2 bad input, 3 internal error; stack traces only with {@code --debug}.
 */
package org.gradguard.cli;
