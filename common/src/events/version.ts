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
