import { z } from 'zod';
import { method } from './define';
import { empty, ok, unixSeconds } from './common';

/**
 * Session: who is signed in, to which gateway, and whether the local cache is open.
 *  signed-out       → nothing open; sign in (or open a known cache offline)
 *  needs-passphrase → signed in, no cache yet: choose a passphrase that protects it
 *  locked           → a cache exists: unlock it with its passphrase
 *  ready            → the cache is open; records can be queried
 *  revoked          → the gateway revoked access: sign in again or delete the cache
 */
export const sessionStateSchema = z.enum(['signed-out', 'needs-passphrase', 'locked', 'ready', 'revoked']);

export const permissionsSchema = z.object({ getAudit: z.boolean(), exportAudits: z.boolean() });

export const sessionSchema = z.object({
  state: sessionStateSchema,
  online: z.boolean(),
  gatewayUrl: z.string().nullable(),
  user: z.object({ id: z.string(), username: z.string(), email: z.string() }).nullable(),
  permissions: permissionsSchema.nullable(),
  isDemo: z.boolean(),
  lastSyncedAt: unixSeconds.nullable(),
  recordCount: z.number().int().nullable(),
  revokedReason: z.string().nullable(),
  /** Offline only: days left before the cache must be re-confirmed with the gateway. */
  leaseDaysLeft: z.number().nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

export const knownCacheSchema = z.object({
  id: z.string(),
  gatewayUrl: z.string(),
  userId: z.string(),
  username: z.string(),
  lastSyncedAt: unixSeconds.nullable(),
});
export type KnownCache = z.infer<typeof knownCacheSchema>;

const credentialsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('password'),
    username: z.string().min(1).max(256),
    password: z.string().min(1).max(4096),
  }),
]);

export const sessionMethods = {
  'session.get': method(empty, sessionSchema),
  'session.signIn': method(
    z.object({ gatewayUrl: z.string().url().max(2048), credentials: credentialsSchema, caPem: z.string().max(65536).optional() }),
    sessionSchema,
  ),
  'session.useDemoGateway': method(empty, sessionSchema),
  'session.knownCaches': method(empty, z.array(knownCacheSchema)),
  'session.openKnownCache': method(z.object({ id: z.string() }), sessionSchema),
  'session.createCache': method(z.object({ passphrase: z.string().min(8).max(1024) }), sessionSchema),
  'session.unlock': method(z.object({ passphrase: z.string().min(1).max(1024) }), sessionSchema),
  'session.lock': method(empty, sessionSchema),
  'session.signOut': method(empty, sessionSchema),
  'session.deleteCache': method(z.object({ confirm: z.literal(true) }), ok),
  /** The renderer reports user input (throttled) so the idle auto-lock knows someone is there. */
  'session.activity': method(empty, ok),
  'session.autoLock': method(z.object({ minutes: z.number().int().min(0).max(1440).optional() }), z.object({ minutes: z.number().int() })),
};
