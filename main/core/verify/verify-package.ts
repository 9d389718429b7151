import { createHash, type Hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { RECORD_FILES, UNLISTED_FILES, manifestSchema, type Manifest } from '../export/manifest';
import { shortFingerprint, tryPublicKeyFingerprint } from '../signing/keys';
import { verifyBytes } from '../signing/signature';
import { acquirePool, releasePool, type BatchPool } from './batch-pool';
import { FastRecordsCheck } from './fast-records';
import { scanConsumer, scanFor } from './records-scan';
import { trustCheck } from './trust';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-limits';
import { readZip, type EntryConsumer } from './zip-reader';

export interface VerifyCheck {
  name: string;
  ok: boolean;
  /** Passed, but a person should look (untrusted signer, Merkle root not recomputable). */
  warning?: boolean;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  checks: VerifyCheck[];
  summary: string;
  manifest?: Manifest;
}

export interface VerifyOptions {
  /** Public key PEMs the caller trusts. */
  trustedKeys?: string[];
  /** Fail (not just warn) when the signer is not trusted. */
  requireTrusted?: boolean;
  limits?: ZipLimits;
  /** How records files are hashed (tests force the fast route on small packages, or turn it off). */
  records?: RecordsRoute;
}

export interface RecordsRoute {
  /** Records files of at least this many bytes (uncompressed) take the fast route first. */
  fastFromBytes?: number;
  /** Hashing threads for the fast route; 0 hashes on the calling thread. */
  threads?: number;
  /** Only the thorough route: every record parsed and re-serialized (the reference). */
  thoroughOnly?: boolean;
}

/** Below this, the thorough scan takes less time than starting threads. */
const DEFAULT_FAST_FROM_BYTES = 8 * 1024 * 1024;
const MAX_THREADS = 4;
const SMALL_FILE_LIMIT = 4 * 1024 * 1024;
const BUFFERED = new Set(['manifest.json', 'manifest.sig', 'signer.pub.pem']);

interface Collected {
  bytes: number;
  sha256: string;
  content?: Buffer;
}

/** What a records file gave: its record count and Merkle root, or why it could not be read. */
interface RecordsTally {
  count: number;
  root: () => string;
  error: string | null;
  /** From the fast route: trusted only when it agrees with the manifest. */
  fast: boolean;
}

/** A records file being read: the thorough scan, or the fast route (settled after the zip is read). */
type RecordsReading = () => Promise<RecordsTally | { unsure: string }>;

/**
 * Verifies a package zip without trusting anything in it: signature over the exact manifest
 * bytes, manifest schema, every file's size and SHA-256, missing and unlisted files, and the
 * record count and Merkle root recomputed from each records file present (records.json and
 * records.csv; records.xlsx alone cannot be recomputed because long cells are truncated).
 * Hostile or broken zips produce failed checks, never exceptions.
 *
 * Large records files first take the fast route (records hashed from their bytes on several
 * threads, see fast-records.ts). Its verdict stands only when it is certain to be the thorough
 * one: a clean zip whose records all reproduce the signed root. Anything else (a damaged zip, a
 * mismatch, a row the fast route does not take) is verified again the thorough way, so what a
 * report says about a bad package is always the thorough verifier's finding, in its words.
 */
export async function verifyPackage(path: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (!options.records?.thoroughOnly) {
    try {
      const fast = await verifyOnce(path, options, true);
      if (fast) return fast;
    } catch {
      // Whatever went wrong on the fast route, the thorough route below gives the verdict.
    }
  }
  return (await verifyOnce(path, options, false)) as VerifyResult;
}

/** One verification; on the fast route, null when its verdict would not be certain. */
async function verifyOnce(path: string, options: VerifyOptions, fastRoute: boolean): Promise<VerifyResult | null> {
  const checks: VerifyCheck[] = [];
  const collected = new Map<string, Collected>();
  const readings = new Map<string, RecordsReading>();
  const cores = availableParallelism();
  const threads = options.records?.threads ?? (cores > 1 ? Math.min(MAX_THREADS, cores) : 0);
  const fastFrom = fastRoute ? (options.records?.fastFromBytes ?? DEFAULT_FAST_FROM_BYTES) : Infinity;
  let pool: BatchPool | null = null;
  const poolFor = () => (pool ??= acquirePool(threads));
  try {
    const zip = await readZip(
      path,
      (entry) => collector(entry.name, collected, readings, entry.uncompressedSize >= fastFrom ? poolFor : null, threads),
      options.limits ?? DEFAULT_ZIP_LIMITS,
      { largeChunks: fastRoute },
    );
    // A damaged or hostile zip is described by the thorough route (its partial reads included).
    if (fastRoute && (!zip.readable || zip.problems.length > 0)) return null;
    const tallies = new Map<string, RecordsTally>();
    for (const [name, read] of readings) {
      const tally = await read();
      if ('unsure' in tally) return null;
      tallies.set(name, tally);
    }
    const result = judge(checks, zip, collected, tallies, options);
    // The fast route's records are trusted only when they reproduce the signed root.
    const doubted = result.checks.some((c) => !c.ok && c.name.startsWith(RECORDS_CHECK) && [...tallies.values()].some((t) => t.fast));
    return doubted ? null : result;
  } finally {
    if (pool) releasePool(pool);
  }
}

const RECORDS_CHECK = 'records and Merkle root';

function judge(
  checks: VerifyCheck[],
  zip: Awaited<ReturnType<typeof readZip>>,
  collected: Map<string, Collected>,
  tallies: Map<string, RecordsTally>,
  options: VerifyOptions,
): VerifyResult {
  checks.push({
    name: 'zip structure',
    ok: zip.readable && zip.problems.length === 0,
    detail: zip.problems.length === 0 ? `${zip.names.length} entries, names and sizes are safe` : zip.problems.join('; '),
  });
  if (!zip.readable) return finish(checks);

  const manifestFile = collected.get('manifest.json');
  const sigFile = collected.get('manifest.sig');
  const pubFile = collected.get('signer.pub.pem');
  const missingCore = (['manifest.json', 'manifest.sig', 'signer.pub.pem'] as const).filter((n) => !collected.get(n)?.content);
  if (missingCore.length > 0) {
    checks.push({ name: 'signature', ok: false, detail: `cannot check: ${missingCore.join(', ')} missing from the package (or over 4 MiB)` });
    return finish(checks);
  }
  const manifestBytes = manifestFile!.content!;
  const publicPem = pubFile!.content!.toString('utf8');
  const signatureOk = verifyBytes(publicPem, manifestBytes, sigFile!.content!);
  const signerId = tryPublicKeyFingerprint(publicPem);
  checks.push({
    name: 'signature',
    ok: signatureOk,
    detail: signatureOk
      ? `manifest.json is signed by ${shortFingerprint(signerId ?? '')} (Ed25519)`
      : signerId === null
        ? 'signer.pub.pem is not a readable public key'
        : 'manifest.sig is not a valid Ed25519 signature of manifest.json by signer.pub.pem (manifest or signature changed)',
  });

  let manifest: Manifest | undefined;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(manifestBytes.toString('utf8')));
    if (parsed.success) manifest = parsed.data;
    checks.push({
      name: 'manifest schema',
      ok: parsed.success,
      detail: parsed.success ? `format version ${parsed.data.format_version}, package ${parsed.data.package_id}` : schemaProblem(parsed.error.issues),
    });
  } catch {
    checks.push({ name: 'manifest schema', ok: false, detail: 'manifest.json is not valid JSON' });
  }
  if (!manifest) return finish(checks);

  checks.push({
    name: 'signer key id',
    ok: signerId === manifest.signer.key_id,
    detail: signerId === manifest.signer.key_id ? 'signer.pub.pem matches manifest signer.key_id' : 'signer.pub.pem is not the key named in manifest signer.key_id',
  });

  checks.push(...fileChecks(manifest, collected, zip.names));
  checks.push(...recordChecks(manifest, tallies));
  if (signatureOk && signerId) checks.push(trustCheck(signerId, options.trustedKeys ?? [], options.requireTrusted ?? false));
  return finish(checks, manifest);
}

/**
 * Hashes every entry; buffers the three small signature files; reads records files, with the
 * thorough scan or, given a pool, the fast route.
 */
function collector(
  name: string,
  collected: Map<string, Collected>,
  readings: Map<string, RecordsReading>,
  poolFor: (() => BatchPool) | null,
  threads: number,
): EntryConsumer {
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  const chunks: Buffer[] | null = BUFFERED.has(name) ? [] : null;
  let feed: EntryConsumer | null = null;
  const kind = name === RECORD_FILES.json ? 'json' : name === RECORD_FILES.csv ? 'csv' : null;
  if (kind && poolFor) {
    const fast = new FastRecordsCheck(kind, poolFor(), Math.max(1, threads));
    feed = fast;
    readings.set(name, async () => {
      const outcome = await fast.outcome();
      return outcome.sure ? { count: outcome.count, root: () => outcome.root, error: null, fast: true } : { unsure: outcome.why };
    });
  } else {
    const scan = scanFor(name);
    if (scan) {
      feed = scanConsumer(scan);
      readings.set(name, async () => ({ count: scan.builder.leafCount, root: () => scan.builder.root().toString('hex'), error: scan.error, fast: false }));
    }
  }
  return {
    push(chunk) {
      hash.update(chunk);
      bytes += chunk.length;
      if (chunks && bytes <= SMALL_FILE_LIMIT) chunks.push(chunk);
      return feed?.push(chunk);
    },
    end() {
      feed?.end();
      const entry: Collected = { bytes, sha256: hash.digest('hex') };
      if (chunks && bytes <= SMALL_FILE_LIMIT) entry.content = Buffer.concat(chunks);
      collected.set(name, entry);
    },
  };
}

function fileChecks(manifest: Manifest, collected: Map<string, Collected>, names: string[]): VerifyCheck[] {
  const listed = new Set(manifest.files.map((f) => f.path));
  const missing = manifest.files.filter((f) => !collected.has(f.path)).map((f) => f.path);
  const wrong: string[] = [];
  for (const f of manifest.files) {
    const got = collected.get(f.path);
    if (!got) continue;
    if (got.bytes !== f.bytes) wrong.push(`${f.path} is ${got.bytes} bytes, manifest says ${f.bytes}`);
    else if (got.sha256 !== f.sha256) wrong.push(`${f.path} SHA-256 differs from the manifest (content changed)`);
  }
  const allowed = new Set<string>(UNLISTED_FILES);
  const unlisted = [...new Set(names)].filter((n) => !listed.has(n) && !allowed.has(n));
  const duplicatesInManifest = manifest.files.length - listed.size;
  return [
    {
      name: 'files present',
      ok: missing.length === 0 && duplicatesInManifest === 0,
      detail:
        missing.length > 0
          ? `missing: ${missing.join(', ')}`
          : duplicatesInManifest > 0
            ? 'the manifest lists a file twice'
            : `all ${manifest.files.length} listed files are present`,
    },
    {
      name: 'file hashes',
      ok: wrong.length === 0 && missing.length === 0,
      detail: wrong.length > 0 ? wrong.join('; ') : missing.length > 0 ? 'not all listed files could be checked' : 'every listed file matches its size and SHA-256',
    },
    {
      name: 'no unlisted files',
      ok: unlisted.length === 0,
      detail: unlisted.length === 0 ? 'nothing in the zip is outside the manifest' : `not in the manifest: ${unlisted.map((n) => JSON.stringify(n.slice(0, 100))).join(', ')}`,
    },
  ];
}

function recordChecks(manifest: Manifest, tallies: Map<string, RecordsTally>): VerifyCheck[] {
  const checks: VerifyCheck[] = [];
  const countsAgree = manifest.record_count === manifest.merkle.leaf_count;
  const dataFiles = manifest.files.map((f) => f.path).filter((p) => Object.values(RECORD_FILES).includes(p as never));
  if (dataFiles.length === 0) {
    checks.push({ name: 'records', ok: false, detail: 'the manifest lists no records file (records.json, records.csv or records.xlsx)' });
  }
  for (const file of [RECORD_FILES.json, RECORD_FILES.csv]) {
    if (!dataFiles.includes(file)) continue;
    const scan = tallies.get(file);
    const name = `${RECORDS_CHECK} (${file})`;
    if (!scan) {
      checks.push({ name, ok: false, detail: `${file} could not be read` });
      continue;
    }
    if (scan.error !== null) {
      checks.push({ name, ok: false, detail: `${file}: ${scan.error}` });
      continue;
    }
    const count = scan.count;
    const root = scan.root();
    const problems: string[] = [];
    if (count !== manifest.record_count) problems.push(`${count} records, manifest says ${manifest.record_count}`);
    if (!countsAgree) problems.push(`manifest record_count ${manifest.record_count} differs from merkle.leaf_count ${manifest.merkle.leaf_count}`);
    if (root !== manifest.merkle.root) problems.push('recomputed Merkle root differs from the manifest (records changed, added, removed or reordered)');
    checks.push({ name, ok: problems.length === 0, detail: problems.length === 0 ? `${count} records, Merkle root ${root.slice(0, 16)}… matches` : problems.join('; ') });
  }
  if (dataFiles.length > 0 && !dataFiles.includes(RECORD_FILES.json) && !dataFiles.includes(RECORD_FILES.csv)) {
    checks.push({
      name: RECORDS_CHECK,
      ok: countsAgree,
      warning: true,
      detail: 'only records.xlsx is present; its cells may be truncated, so the Merkle root cannot be recomputed (the file hash is still checked)',
    });
  }
  return checks;
}

function schemaProblem(issues: Array<{ path: PropertyKey[]; message: string }>): string {
  const first = issues[0];
  const where = first && first.path.length > 0 ? first.path.map(String).join('.') : 'manifest';
  return `manifest.json does not have the expected shape (${where}: ${first?.message ?? 'invalid'})`;
}

function finish(checks: VerifyCheck[], manifest?: Manifest): VerifyResult {
  const failed = checks.filter((c) => !c.ok);
  const warnings = checks.filter((c) => c.ok && c.warning);
  const ok = failed.length === 0;
  const summary = ok
    ? `package verified: ${manifest?.record_count ?? 0} records, all ${checks.length} checks passed${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length > 1 ? 's' : ''})` : ''}`
    : `package FAILED verification: ${failed.length} of ${checks.length} checks failed (${failed.map((c) => c.name).join(', ')})`;
  return { ok, checks, summary, manifest };
}
