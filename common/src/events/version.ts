/**
 * Entity versions: the rule a replica applies events by (the next version only), and the version
 * guard on a service's own documents.
 */
export type VersionVerdict = 'apply' | 'duplicate' | 'gap';

/**
 * The ordering rule for replicas: apply an event only when it is the next version. An older or equal
 * version was applied already (duplicate: ack and ignore); a later one means one is missing (gap: do not
 * ack, so JetStream redelivers it after the missing one has arrived).
 */
export function compareVersions(
  replicaVersion: number | undefined,
  eventVersion: number,
): VersionVerdict {
  const current = replicaVersion ?? -1;
  if (eventVersion <= current) return 'duplicate';
  if (eventVersion === current + 1) return 'apply';
  return 'gap';
}

/**
 * The writing half of that rule, for a service's own (source-of-truth) documents: a `version` field that
 * every save that changes the document increments by one, and a save from a stale read fails with
 * mongoose's `VersionError` instead of overwriting. Mongoose's built-in optimistic concurrency does this
 * with no plugin (a plugin that pulls in polyfills slows every process that loads it; see bench/results.md).
 */
export const VERSIONED = { versionKey: 'version', optimisticConcurrency: true } as const;
