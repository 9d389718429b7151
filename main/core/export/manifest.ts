import { z } from 'zod';

/**
 * manifest.json: what the package holds and who made it. The signature covers its exact bytes,
 * so the verifier parses it with this schema only after checking the signature.
 */
export const MANIFEST_FORMAT_VERSION = 1;
export const MERKLE_ALGORITHM_NAME = 'rfc6962-sha256' as const;

/** The data files a package may carry; their Merkle leaves must agree with `merkle.root`. */
export const RECORD_FILES = { json: 'records.json', csv: 'records.csv', xlsx: 'records.xlsx' } as const;
export type RecordFormat = keyof typeof RECORD_FILES;

/** Files that are never listed in `files`: the manifest cannot hash itself or its signature. */
export const UNLISTED_FILES = ['manifest.json', 'manifest.sig'] as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');
const timePoint = z.union([z.string().max(100), z.number(), z.null()]);

export const manifestSchema = z
  .object({
    format_version: z.literal(MANIFEST_FORMAT_VERSION),
    package_id: z.string().uuid(),
    created_at: z.string().datetime({ offset: true }),
    app_version: z.string().max(100),
    exporter: z.object({ user_id: z.string().max(500), username: z.string().max(500), gateway_url: z.string().max(2000) }),
    filter: z.object({ text: z.string().max(100_000), model: z.unknown() }),
    time_range: z.object({ from: timePoint, to: timePoint }),
    record_count: z.number().int().min(0),
    files: z
      .array(z.object({ path: z.string().min(1).max(255), bytes: z.number().int().min(0), sha256: hex64 }))
      .max(1000),
    merkle: z.object({ algorithm: z.literal(MERKLE_ALGORITHM_NAME), root: hex64, leaf_count: z.number().int().min(0) }),
    redactions: z.array(z.object({ field: z.string().max(500), method: z.string().max(2000) })).max(50),
    signer: z.object({ key_id: hex64, algorithm: z.literal('Ed25519') }),
  })
  .strict();

export type Manifest = z.infer<typeof manifestSchema>;

/** The exact bytes that get signed: pretty-printed so humans can read them, one trailing newline. */
export function manifestBytes(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}
