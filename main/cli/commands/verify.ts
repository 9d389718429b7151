import { open, readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { verifyProofFile } from '../../core/verify/proof';
import { verifyPackage, type VerifyResult } from '../../core/verify/verify-package';
import { CliError } from '../errors';

interface VerifyFlags {
  json?: boolean;
  trust: string[];
  requireTrusted?: boolean;
}

/**
 * `audit-review verify FILE` — a package .zip or a record proof .json. One line per check, then a
 * summary; exit 0 only when every check holds (an untrusted but valid signer is a warning unless
 * --require-trusted), 1 otherwise.
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a signed export package (.zip) or a record proof (.json)')
    .argument('<file>', 'package .zip or proof .json')
    .option('--json', 'print the report as JSON')
    .option('--trust <key.pem>', 'a trusted signer public key (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--require-trusted', 'fail when the signer is not one of the --trust keys')
    .action(async (file: string, flags: VerifyFlags) => {
      const trustedKeys = await Promise.all(flags.trust.map(readTrustedKey));
      const kind = await detectKind(file);
      const options = { trustedKeys, requireTrusted: flags.requireTrusted ?? false };
      const result = kind === 'proof' ? await verifyProofFile(file, options) : await verifyPackage(file, options);
      process.stdout.write(flags.json ? `${JSON.stringify(reportJson(file, result), null, 2)}\n` : formatReport(result));
      process.exitCode = result.ok ? 0 : 1;
    });
}

async function readTrustedKey(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read trusted key ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path`, 2);
  }
}

/** A proof is JSON text ('{' after optional whitespace); anything else is treated as a zip. */
async function detectKind(path: string): Promise<'zip' | 'proof'> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CliError(`cannot open ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path`, 2);
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').trimStart();
    return head.startsWith('{') ? 'proof' : 'zip';
  } finally {
    await handle.close();
  }
}

export function formatReport(result: VerifyResult): string {
  const width = Math.max(...result.checks.map((c) => c.name.length), 10);
  const lines = result.checks.map((c) => {
    const status = !c.ok ? `FAILED: ${c.detail}` : c.warning ? `ok (warning: ${c.detail})` : `ok  ${c.detail}`;
    return `${c.name.padEnd(width)}  ${status}`;
  });
  lines.push('', result.summary, '');
  return lines.join('\n');
}

function reportJson(file: string, result: VerifyResult) {
  return { file, ok: result.ok, summary: result.summary, checks: result.checks, manifest: result.manifest ?? null };
}
