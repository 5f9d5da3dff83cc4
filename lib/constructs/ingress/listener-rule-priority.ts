/** Longest path prefix the priorities are laid out for (config allows 100). */
const MAX_PREFIX_LENGTH = 128;

/**
 * The listener-rule priority of a path prefix among all routed prefixes.
 *
 * Longer prefixes get lower numbers, so `/v1/api/admin` is evaluated before
 * `/v1/api` before `/`. The number depends only on the prefix's length and its
 * rank among prefixes of the same length, so adding a service does not
 * renumber the rules of shorter or longer prefixes.
 * See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html#rule-priority
 */
export function listenerRulePriority(prefix: string, allPrefixes: readonly string[]): number {
  if (prefix.length > MAX_PREFIX_LENGTH) {
    throw new Error(`path prefix "${prefix}" is longer than ${MAX_PREFIX_LENGTH} characters`);
  }
  const sameLength = [...new Set(allPrefixes.filter((p) => p.length === prefix.length))].sort();
  const rank = sameLength.indexOf(prefix);
  if (rank < 0) {
    throw new Error(`path prefix "${prefix}" is not among the routed prefixes`);
  }
  return (MAX_PREFIX_LENGTH - prefix.length) * 100 + rank + 1;
}

/** The path patterns of a prefix: `/p` and `/p/*`, or every path for `/`. */
export function pathPatternsOf(prefix: string): string[] {
  return prefix === '/' ? ['/*'] : [prefix, `${prefix}/*`];
}
