import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/core/records/canonical';
import { parseAuditEntry } from '../../../main/core/records/entry';
import { writePackage } from '../../../main/core/export/package-writer';
import { TRUNCATION_MARKER } from '../../../main/core/export/xlsx-writer';
import { generateSigningKey } from '../../../main/core/signing/keys';
import { signBytes } from '../../../main/core/signing/signature';
import { proveRecord, verifyProof } from '../../../main/core/verify/proof';
import { verifyPackage, type VerifyResult } from '../../../main/core/verify/verify-package';
import { sampleEntries, sampleMeta } from './fixtures';
import { readEntries, renameInPlace, writeEntries, type RawEntry } from './zip-tools';

const dir = mkdtempSync(join(tmpdir(), 'pkg-test-'));
const key = generateSigningKey();
const other = generateSigningKey();
const entries = sampleEntries(40);
const pkg = join(dir, 'package.zip');
let original: RawEntry[] = [];

beforeAll(async () => {
  await writePackage({
    outPath: pkg,
    records: entries,
    formats: ['json', 'csv', 'xlsx'],
    meta: sampleMeta,
    signingKey: key,
    findings: [{ id: 'f1', severity: 'high', rule: 'mass-delete', operator: 'user1' }],
    annotations: [{ record_id: 'rec-000001', note: '=cmd|calc', history: [] }],
    custody: [{ seq: 1, action: 'export' }],
    campaigns: [{ id: 'c1', name: 'night deletes' }],
  });
  original = await readEntries(pkg);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failedNames = (r: VerifyResult) => r.checks.filter((c) => !c.ok).map((c) => c.name);
const get = (name: string) => original.find((e) => e.name === name)!.data;

async function variant(label: string, change: (entries: RawEntry[]) => RawEntry[]): Promise<string> {
  const path = join(dir, `${label}.zip`);
  await writeEntries(path, change(original.map((e) => ({ name: e.name, data: Buffer.from(e.data) }))));
  return path;
}

const replace = (name: string, data: Buffer) => (list: RawEntry[]) => list.map((e) => (e.name === name ? { name, data } : e));

describe('an untouched package', () => {
  it('verifies with our verifier, and the trust check passes when its key is trusted', async () => {
    const result = await verifyPackage(pkg, { trustedKeys: [key.publicPem], requireTrusted: true });
    expect(result.summary).toMatch(/verified/);
    expect(result.ok).toBe(true);
    expect(result.checks.find((c) => c.name === 'signer trust')?.warning).toBeUndefined();
    expect(result.manifest?.record_count).toBe(40);
    expect(result.manifest?.files.map((f) => f.path).sort()).toEqual(
      ['VERIFY.txt', 'annotations.json', 'custody.json', 'findings.json', 'records.csv', 'records.json', 'records.xlsx', 'signer.pub.pem'].sort(),
    );
  });

  it('verifies with stock openssl and sha256sum', () => {
    const out = join(dir, 'extracted');
    execFileSync('mkdir', ['-p', out]);
    for (const e of original) writeFileSync(join(out, e.name), e.data);
    const verdict = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'signer.pub.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], { cwd: out }).toString();
    expect(verdict).toMatch(/Signature Verified Successfully/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const sums = manifest.files.map((f: { sha256: string; path: string }) => `${f.sha256}  ${f.path}`).join('\n') + '\n';
    expect(execFileSync('sha256sum', ['-c', '-'], { cwd: out, input: sums }).toString()).not.toMatch(/FAILED/);
    // The fingerprint recipe in VERIFY.txt gives the manifest key id.
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', 'signer.pub.pem', '-outform', 'DER'], { cwd: out });
    const fp = execFileSync('sha256sum', [], { input: der }).toString().split(' ')[0];
    expect(fp).toBe(manifest.signer.key_id);
    expect(readFileSync(join(out, 'VERIFY.txt'), 'utf8')).toContain('openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in manifest.json -sigfile manifest.sig');
  });

  it('openssl rejects a manifest edited after signing', () => {
    const out = join(dir, 'extracted-bad');
    execFileSync('mkdir', ['-p', out]);
    for (const e of original) writeFileSync(join(out, e.name), e.data);
    writeFileSync(join(out, 'manifest.json'), get('manifest.json').toString().replace('"record_count": 40', '"record_count": 41'));
    expect(() => execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'signer.pub.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], { cwd: out, stdio: 'pipe' })).toThrow();
  });

  it('records.json re-imports to the same records', () => {
    const lines = JSON.parse(get('records.json').toString('utf8')) as unknown[];
    expect(lines).toHaveLength(40);
    lines.forEach((raw, i) => {
      const parsed = parseAuditEntry(raw);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(canonicalJson(parsed.entry)).toBe(canonicalJson(parseAuditEntry(entries[i]).ok ? (parseAuditEntry(entries[i]) as { entry: unknown }).entry : null));
    });
  });

  it('records.csv is RFC 4180 UTF-8 with BOM, ISO UTC times, and no cell can run as a formula', () => {
    const text = get('records.csv').toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(text.slice(1), { relax_column_count: false }) as string[][];
    expect(rows).toHaveLength(41);
    const header = rows[0];
    for (const row of rows.slice(1)) {
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(row[header.indexOf('event_time')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const names = rows.slice(1).map((r) => r[header.indexOf('resource_name')]);
    expect(names).toContain(`'=HYPERLINK("http://x")`);
    expect(names).toContain("'@SUM(A1)");
    expect(names).toContain("''quoted");
    expect(names).toContain('line\nbreak');
    const body = rows[1][header.indexOf('http_request_body')];
    expect(body === '' || JSON.parse(body)).toBeTruthy();
  });

  it('records.xlsx opens in exceljs with the expected sheets', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(get('records.xlsx') as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Records', 'Findings', 'Annotations', 'Summary']);
    const records = workbook.getWorksheet('Records')!;
    expect(records.rowCount).toBe(41);
    expect(records.getRow(1).getCell(1).value).toBe('id');
    expect(records.getRow(2).getCell(1).value).toBe('rec-000000');
    const summary = workbook.getWorksheet('Summary')!;
    const labels: string[] = [];
    summary.eachRow((row) => labels.push(String(row.getCell(1).value)));
    expect(labels).toEqual(expect.arrayContaining(['Scope', 'By event type', 'By operator', 'Findings by severity', 'Campaign coverage']));
    expect(workbook.getWorksheet('Findings')!.getRow(2).getCell(2).value).toBe('high');
  });
});

describe('tampering is caught with the right reason', () => {
  const listed = ['records.json', 'records.csv', 'records.xlsx', 'findings.json', 'annotations.json', 'custody.json', 'VERIFY.txt'];
  for (const name of listed) {
    it(`byte flip in ${name}`, async () => {
      const data = Buffer.from(get(name));
      const at = Math.floor(data.length / 2);
      data[at] = data[at] ^ 0x01;
      const result = await verifyPackage(await variant(`flip-${name}`, replace(name, data)));
      expect(result.ok).toBe(false);
      expect(failedNames(result)).toContain('file hashes');
      expect(result.checks.find((c) => c.name === 'file hashes')?.detail).toContain(name);
    });
  }

  it('byte flip in signer.pub.pem or manifest.sig breaks the signature', async () => {
    const sig = Buffer.from(get('manifest.sig'));
    sig[10] ^= 0x80;
    expect(failedNames(await verifyPackage(await variant('flip-sig', replace('manifest.sig', sig))))).toContain('signature');
    const lines = get('signer.pub.pem').toString().split('\n');
    lines[1] = lines[1].slice(0, 30) + (lines[1][30] === 'A' ? 'B' : 'A') + lines[1].slice(31);
    const pem = lines.join('\n');
    expect(pem).not.toBe(get('signer.pub.pem').toString());
    expect(failedNames(await verifyPackage(await variant('flip-pem', replace('signer.pub.pem', Buffer.from(pem)))))).toContain('signature');
  });

  const jsonLines = () => get('records.json').toString('utf8').split('\n');
  const rebuildJson = (records: string[]) => Buffer.from(`[\n${records.join(',\n')}\n]\n`);
  const recordLines = () => jsonLines().slice(1, -2).map((l) => l.replace(/,$/, ''));

  it.each([
    ['removed', (r: string[]) => r.slice(1)],
    ['added', (r: string[]) => [...r, r[0].replace('rec-000000', 'rec-999999')]],
    ['reordered', (r: string[]) => [r[1], r[0], ...r.slice(2)]],
  ])('row %s in records.json, even with the manifest hash updated and re-signed by the same key', async (_label, change) => {
    const data = rebuildJson(change(recordLines()));
    const manifest = JSON.parse(get('manifest.json').toString());
    const file = manifest.files.find((f: { path: string }) => f.path === 'records.json');
    const { createHash } = await import('node:crypto');
    file.bytes = data.length;
    file.sha256 = createHash('sha256').update(data).digest('hex');
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const path = await variant(`rows-${_label}`, (list) =>
      replace('manifest.json', bytes)(replace('manifest.sig', signBytes(key.privatePem, bytes))(replace('records.json', data)(list))),
    );
    const result = await verifyPackage(path);
    expect(failedNames(result)).toEqual(['records and Merkle root (records.json)']);
    expect(result.checks.find((c) => !c.ok)?.detail).toMatch(/Merkle root differs|records, manifest says/);
  });

  it('a row removed without touching the manifest fails the hash and the Merkle root', async () => {
    const result = await verifyPackage(await variant('rows-plain', replace('records.json', rebuildJson(recordLines().slice(0, -1)))));
    expect(failedNames(result)).toEqual(expect.arrayContaining(['file hashes', 'records and Merkle root (records.json)']));
  });

  it('manifest edited', async () => {
    const edited = Buffer.from(get('manifest.json').toString().replace('"username": "auditor"', '"username": "mallory"'));
    expect(failedNames(await verifyPackage(await variant('manifest-edit', replace('manifest.json', edited))))).toEqual(['signature']);
  });

  it('signature swapped for one of another package', async () => {
    const foreign = signBytes(key.privatePem, Buffer.from('another manifest'));
    expect(failedNames(await verifyPackage(await variant('sig-swap', replace('manifest.sig', foreign))))).toEqual(['signature']);
  });

  it('a different key re-signing: valid but untrusted (a warning), and a failure with requireTrusted', async () => {
    const manifest = JSON.parse(get('manifest.json').toString());
    const { publicKeyFingerprint } = await import('../../../main/core/signing/keys');
    manifest.signer.key_id = publicKeyFingerprint(other.publicPem);
    const pemData = Buffer.from(other.publicPem);
    const { createHash } = await import('node:crypto');
    const pemEntry = manifest.files.find((f: { path: string }) => f.path === 'signer.pub.pem');
    pemEntry.bytes = pemData.length;
    pemEntry.sha256 = createHash('sha256').update(pemData).digest('hex');
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const path = await variant('resigned', (list) =>
      replace('signer.pub.pem', pemData)(replace('manifest.json', bytes)(replace('manifest.sig', signBytes(other.privatePem, bytes))(list))),
    );
    const lenient = await verifyPackage(path, { trustedKeys: [key.publicPem] });
    expect(lenient.ok).toBe(true);
    expect(lenient.checks.find((c) => c.name === 'signer trust')).toMatchObject({ ok: true, warning: true });
    const strict = await verifyPackage(path, { trustedKeys: [key.publicPem], requireTrusted: true });
    expect(failedNames(strict)).toEqual(['signer trust']);
  });

  it('extra file', async () => {
    const result = await verifyPackage(await variant('extra', (l) => [...l, { name: 'payload.exe', data: Buffer.from('MZ') }]));
    expect(failedNames(result)).toEqual(['no unlisted files']);
  });

  it('missing file', async () => {
    const result = await verifyPackage(await variant('missing', (l) => l.filter((e) => e.name !== 'custody.json')));
    expect(failedNames(result)).toEqual(expect.arrayContaining(['files present']));
    expect(result.checks.find((c) => c.name === 'files present')?.detail).toContain('custody.json');
  });

  it('truncated zip', async () => {
    const bytes = readFileSync(pkg);
    const path = join(dir, 'truncated.zip');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const result = await verifyPackage(path);
    expect(result.ok).toBe(false);
    expect(result.checks[0]).toMatchObject({ name: 'zip structure', ok: false });
  });

  it('not a zip at all', async () => {
    const path = join(dir, 'not.zip');
    writeFileSync(path, 'hello');
    const result = await verifyPackage(path);
    expect(result.checks[0].detail).toMatch(/not a readable zip/);
  });

  it('zip slip and absolute names are reported, never followed', async () => {
    const path = await variant('slip', (l) => [...l, { name: 'xx/evil.txt', data: Buffer.from('x') }, { name: 'Xetc/passwd', data: Buffer.from('x') }]);
    renameInPlace(path, 'xx/evil.txt', '../evil.txt');
    renameInPlace(path, 'Xetc/passwd', '/etc/passwd');
    const result = await verifyPackage(path);
    const detail = result.checks.find((c) => c.name === 'zip structure')?.detail ?? '';
    expect(detail).toMatch(/zip slip/);
    expect(detail).toMatch(/absolute path/);
    expect(existsSync(join(dir, '..', 'evil.txt'))).toBe(false);
  });

  it('duplicate names are reported', async () => {
    const forged = Buffer.from(get('records.json').toString().replace('rec-000003', 'rec-666666'));
    const path = await variant('dupe', (l) => [...l, { name: 'records.json', data: forged }]);
    const result = await verifyPackage(path);
    expect(result.checks.find((c) => c.name === 'zip structure')?.detail).toMatch(/duplicate entry name "records.json"/);
    expect(result.ok).toBe(false);
  });

  it('a compression bomb is refused before it is inflated', async () => {
    const path = join(dir, 'bomb.zip');
    const list = original.map((e) => ({ ...e }));
    list.push({ name: 'zeros.bin', data: Buffer.alloc(64 * 1024 * 1024) });
    await writeEntries(path, list);
    const started = Date.now();
    const result = await verifyPackage(path);
    expect(result.checks.find((c) => c.name === 'zip structure')?.detail).toMatch(/compression ratio .*zip bomb/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('record proofs', () => {
  it('a proof verifies alone, and fails when the record, path or root is edited', async () => {
    const proof = await proveRecord(pkg, 'rec-000013');
    expect(proof.leaf_index).toBe(13);
    const ok = verifyProof(JSON.parse(JSON.stringify(proof)), { trustedKeys: [key.publicPem], requireTrusted: true });
    expect(ok.ok).toBe(true);

    const edited = JSON.parse(JSON.stringify(proof));
    edited.record.ip_address = '198.51.100.1';
    expect(failedNames(verifyProof(edited))).toEqual(['record inclusion']);

    const badPath = JSON.parse(JSON.stringify(proof));
    badPath.audit_path[0] = badPath.audit_path[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    expect(failedNames(verifyProof(badPath))).toEqual(['record inclusion']);

    const badIndex = { ...JSON.parse(JSON.stringify(proof)), leaf_index: 12 };
    expect(failedNames(verifyProof(badIndex))).toEqual(['record inclusion']);

    const badRoot = JSON.parse(JSON.stringify(proof));
    badRoot.merkle_root = '0'.repeat(64);
    expect(failedNames(verifyProof(badRoot))).toEqual(['root matches manifest']);

    const badManifest = JSON.parse(JSON.stringify(proof));
    badManifest.manifest = badManifest.manifest.replace('"record_count": 40', '"record_count": 39');
    expect(failedNames(verifyProof(badManifest))).toContain('signature');

    expect(failedNames(verifyProof({ hello: 'world' }))).toEqual(['proof format']);
  });

  it('proofs work from a CSV-only package', async () => {
    const path = join(dir, 'csv-only.zip');
    await writePackage({ outPath: path, records: entries, formats: ['csv'], meta: sampleMeta, signingKey: key });
    expect((await verifyPackage(path)).ok).toBe(true);
    const proof = await proveRecord(path, 'rec-000039');
    expect(verifyProof(proof).ok).toBe(true);
    await expect(proveRecord(path, 'nope')).rejects.toThrow(/no record with id "nope"/);
  });
});

describe('writing', () => {
  it('cancel leaves no file at the target and no temp files', async () => {
    const sub = mkdtempSync(join(dir, 'cancel-'));
    const controller = new AbortController();
    async function* slow() {
      for (const [i, e] of sampleEntries(20000).entries()) {
        if (i === 5000) controller.abort(new Error('cancelled by test'));
        yield e;
      }
    }
    const out = join(sub, 'out.zip');
    await expect(writePackage({ outPath: out, records: slow(), formats: ['json', 'csv', 'xlsx'], meta: sampleMeta, signingKey: key, signal: controller.signal })).rejects.toThrow(/cancelled by test/);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('a failing record source leaves nothing behind either', async () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    function* broken() {
      yield entries[0];
      yield { id: '' } as never;
    }
    await expect(writePackage({ outPath: join(sub, 'out.zip'), records: broken(), formats: ['csv'], meta: sampleMeta, signingKey: key })).rejects.toThrow(/record #2 is not a valid audit entry/);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('redaction masks IPs, pseudonymizes operators consistently, drops bodies, and still verifies', async () => {
    const path = join(dir, 'redacted.zip');
    const result = await writePackage({ outPath: path, records: entries, formats: ['json'], meta: sampleMeta, signingKey: key, redact: { ip: true, operator: true, bodies: true }, findings: [{ operator: 'u-1', email: 'user1@example.com' }] });
    expect(result.manifest.redactions.map((r) => r.field)).toEqual(['ip_address', 'operator', 'http_request.body,http_response.body']);
    expect((await verifyPackage(path)).ok).toBe(true);
    const files = await readEntries(path);
    const records = JSON.parse(files.find((f) => f.name === 'records.json')!.data.toString());
    const text = JSON.stringify(records);
    expect(text).not.toContain('user1@example.com');
    expect(text).not.toContain('203.0.113.7"');
    expect(records[1].ip_address).toBe('203.0.113.0/24');
    expect(records[0].ip_address).toBe('2001:db8:85a3::/48');
    expect(records[1].http_request.body).toBeUndefined();
    expect(records[1].operator.id).toMatch(/^op-[0-9a-f]{16}$/);
    expect(records[6].operator.id).toBe(records[1].operator.id);
    expect(records[2].operator.id).not.toBe(records[1].operator.id);
    const findings = JSON.parse(files.find((f) => f.name === 'findings.json')!.data.toString());
    expect(findings[0].operator).toBe(records[1].operator.id);
    expect(findings[0].email).toBe(records[1].operator.id);
  });

  it('long cells are truncated in XLSX with a visible marker and kept whole in JSON', async () => {
    const long = { ...entries[1], resource_name: 'x'.repeat(40_000) };
    const path = join(dir, 'long.zip');
    await writePackage({ outPath: path, records: [long], formats: ['json', 'xlsx'], meta: sampleMeta, signingKey: key });
    const files = await readEntries(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(files.find((f) => f.name === 'records.xlsx')!.data as unknown as ArrayBuffer);
    const cell = String(workbook.getWorksheet('Records')!.getRow(2).getCell('L').value);
    expect(cell.length).toBe(32_767);
    expect(cell.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(JSON.parse(files.find((f) => f.name === 'records.json')!.data.toString())[0].resource_name).toHaveLength(40_000);
  });
});
