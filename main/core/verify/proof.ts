import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { canonicalEntryText } from '../export/canonical-entry';
import { RECORD_FILES, manifestSchema, type Manifest } from '../export/manifest';
import { auditPath, leafHash, verifyInclusion } from '../export/merkle';
import { tryPublicKeyFingerprint } from '../signing/keys';
import { verifyBytes } from '../signing/signature';
import { scanConsumer, scanFor } from './records-scan';
import { trustCheck } from './trust';
import { verifyPackage, type VerifyCheck, type VerifyOptions, type VerifyResult } from './verify-package';
import { readZip } from './zip-reader';

/**
 * A record proof: one record plus everything needed to show, without the package, that it is in
 * a signed package: its RFC 6962 audit path, the manifest's exact text and its signature.
 */
export const PROOF_FORMAT = 'audit-review-record-proof';

export const proofSchema = z
  .object({
    format: z.literal(PROOF_FORMAT),
    version: z.literal(1),
    record: z.record(z.string(), z.unknown()),
    leaf_index: z.number().int().min(0),
    audit_path: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(64),
    merkle_root: z.string().regex(/^[0-9a-f]{64}$/),
    leaf_count: z.number().int().min(1),
    manifest: z.string().max(8 * 1024 * 1024),
    manifest_sig: z.string().max(200),
    signer_pub_pem: z.string().max(10_000),
  })
  .strict();

export type RecordProof = z.infer<typeof proofSchema>;

export class ProofError extends Error {
  override name = 'ProofError';
}

/**
 * Builds the proof for the record with this id. The package is verified first (a proof out of a
 * tampered package would prove nothing); the first record with the id is used.
 */
export async function proveRecord(packagePath: string, recordId: string, options: VerifyOptions = {}): Promise<RecordProof> {
  const verified = await verifyPackage(packagePath, options);
  if (!verified.ok || !verified.manifest) {
    throw new ProofError(`the package does not verify, so no proof was made: ${verified.summary}`);
  }
  const manifest = verified.manifest;
  const listed = new Set(manifest.files.map((f) => f.path));
  const file = listed.has(RECORD_FILES.json) ? RECORD_FILES.json : listed.has(RECORD_FILES.csv) ? RECORD_FILES.csv : null;
  if (!file) throw new ProofError('the package has only records.xlsx, which cannot reproduce records exactly; export with json or csv to prove records');

  // All leaf hashes packed in one buffer (32 bytes each): 32 MB for a million records.
  let leaves = Buffer.alloc(32 * Math.max(manifest.record_count, 1));
  let found: { record: Record<string, unknown>; index: number } | null = null;
  const scan = scanFor(file, (record, leaf, index) => {
    if ((index + 1) * 32 > leaves.length) leaves = Buffer.concat([leaves, Buffer.alloc(leaves.length)]);
    leaf.copy(leaves, index * 32);
    if (!found && String(record.id) === recordId) found = { record, index };
  });
  if (!scan) throw new ProofError(`cannot read ${file}`);
  const feed = scanConsumer(scan);
  const read = await readZip(packagePath, (entry) => (entry.name === file ? feed : null));
  if (read.problems.length > 0 || scan.error) throw new ProofError(`cannot read ${file}: ${scan.error ?? read.problems.join('; ')}`);
  const hit = found as { record: Record<string, unknown>; index: number } | null;
  if (!hit) throw new ProofError(`no record with id "${recordId}" in this package (${scan.builder.leafCount} records)`);
  const count = scan.builder.leafCount;
  const packed = leaves.subarray(0, count * 32);

  const files = await readSmallEntries(packagePath, ['manifest.json', 'manifest.sig', 'signer.pub.pem']);
  return {
    format: PROOF_FORMAT,
    version: 1,
    record: hit.record,
    leaf_index: hit.index,
    audit_path: auditPath(packed, hit.index).map((h) => h.toString('hex')),
    merkle_root: manifest.merkle.root,
    leaf_count: count,
    manifest: files['manifest.json'].toString('utf8'),
    manifest_sig: files['manifest.sig'].toString('base64'),
    signer_pub_pem: files['signer.pub.pem'].toString('utf8'),
  };
}

async function readSmallEntries(path: string, names: string[]): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  await readZip(path, (entry) => {
    if (!names.includes(entry.name)) return null;
    const chunks: Buffer[] = [];
    return {
      push: (c) => {
        chunks.push(c);
      },
      end: () => {
        out[entry.name] = Buffer.concat(chunks);
      },
    };
  });
  for (const n of names) if (!out[n]) throw new ProofError(`${n} is missing from the package`);
  return out;
}

/**
 * Checks a proof on its own: the manifest signature, that the proof's root and count are the
 * manifest's, and that the record's leaf with the audit path reproduces that root.
 */
export function verifyProof(proofJson: unknown, options: Pick<VerifyOptions, 'trustedKeys' | 'requireTrusted'> = {}): VerifyResult {
  const checks: VerifyCheck[] = [];
  const parsed = proofSchema.safeParse(proofJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'proof';
    checks.push({ name: 'proof format', ok: false, detail: `not an Audit Review record proof (${where}: ${issue?.message ?? 'invalid'})` });
    return done(checks);
  }
  const proof = parsed.data;
  checks.push({ name: 'proof format', ok: true, detail: `record proof, leaf ${proof.leaf_index} of ${proof.leaf_count}` });

  const manifestBytes = Buffer.from(proof.manifest, 'utf8');
  const signature = Buffer.from(proof.manifest_sig, 'base64');
  const signatureOk = verifyBytes(proof.signer_pub_pem, manifestBytes, signature);
  checks.push({
    name: 'signature',
    ok: signatureOk,
    detail: signatureOk ? 'the manifest is signed by the included key (Ed25519)' : 'manifest_sig is not a valid signature of the manifest by signer_pub_pem',
  });

  let manifest: Manifest | undefined;
  try {
    const m = manifestSchema.safeParse(JSON.parse(proof.manifest));
    if (m.success) manifest = m.data;
  } catch {
    // reported below
  }
  checks.push({ name: 'manifest schema', ok: !!manifest, detail: manifest ? `package ${manifest.package_id}` : 'the manifest text is not a valid package manifest' });
  if (!manifest) return done(checks);

  const signerId = tryPublicKeyFingerprint(proof.signer_pub_pem);
  checks.push({ name: 'signer key id', ok: signerId === manifest.signer.key_id, detail: signerId === manifest.signer.key_id ? 'the included key is the manifest signer' : 'the included key is not the manifest signer' });

  const rootMatches = proof.merkle_root === manifest.merkle.root && proof.leaf_count === manifest.merkle.leaf_count;
  checks.push({
    name: 'root matches manifest',
    ok: rootMatches,
    detail: rootMatches ? 'merkle_root and leaf_count are the signed ones' : 'merkle_root or leaf_count differ from the signed manifest',
  });

  // Hash the record exactly as it arrived (zod's copy could differ for odd keys such as __proto__).
  const leaf = leafHash(canonicalEntryText((proofJson as { record: Record<string, unknown> }).record));
  const included = verifyInclusion(
    leaf,
    proof.leaf_index,
    manifest.merkle.leaf_count,
    proof.audit_path.map((h) => Buffer.from(h, 'hex')),
    Buffer.from(manifest.merkle.root, 'hex'),
  );
  checks.push({
    name: 'record inclusion',
    ok: included,
    detail: included ? `record ${String(proof.record.id)} is leaf ${proof.leaf_index} of the signed Merkle tree` : 'the record and audit path do not lead to the signed Merkle root (record edited or path wrong)',
  });
  if (signatureOk && signerId) checks.push(trustCheck(signerId, options.trustedKeys ?? [], options.requireTrusted ?? false));
  return done(checks, manifest);
}

function done(checks: VerifyCheck[], manifest?: Manifest): VerifyResult {
  const failed = checks.filter((c) => !c.ok);
  const warnings = checks.filter((c) => c.ok && c.warning).length;
  const ok = failed.length === 0;
  const summary = ok
    ? `record proof verified: all ${checks.length} checks passed${warnings > 0 ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}`
    : `record proof FAILED: ${failed.length} of ${checks.length} checks failed (${failed.map((c) => c.name).join(', ')})`;
  return { ok, checks, summary, manifest };
}

/** Reads and verifies a proof file; a file that is not JSON is a failed check, not an exception. */
export async function verifyProofFile(path: string, options: Pick<VerifyOptions, 'trustedKeys' | 'requireTrusted'> = {}): Promise<VerifyResult> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return done([{ name: 'proof format', ok: false, detail: 'the file is not JSON (expected a record proof or a package .zip)' }]);
  }
  return verifyProof(json, options);
}
