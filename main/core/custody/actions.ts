/**
 * What the chain of custody records. The list is open (a newer app may log actions this one does not
 * know, and the chain must still verify), so the type accepts any string; these are the ones we write.
 */
export const CUSTODY_ACTIONS = [
  'sign-in',
  'sync',
  'unlock',
  'import',
  'annotation',
  'suppression',
  'export',
  'verify',
  'purge',
  'key-created',
  'key-rotated',
] as const;

export type KnownCustodyAction = (typeof CUSTODY_ACTIONS)[number];
export type CustodyAction = KnownCustodyAction | (string & {});

/** Actions that bring evidence into the cache or take it out: a package always carries these. */
export const PROVENANCE_ACTIONS: readonly CustodyAction[] = ['sign-in', 'sync', 'unlock', 'import', 'purge', 'export', 'key-created', 'key-rotated'];
