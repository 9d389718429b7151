import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ProofError, proveRecord } from '../../core/verify/proof';
import { CliError } from '../errors';

/** `audit-review prove PACKAGE --record ID > proof.json` — one record with its inclusion proof. */
export function registerProve(program: Command): void {
  program
    .command('prove')
    .description('print a Merkle inclusion proof for one record of a signed package (check it with `audit-review verify proof.json`)')
    .argument('<package>', 'signed package .zip')
    .requiredOption('--record <id>', 'the record id to prove')
    .option('--trust <key.pem>', 'a trusted signer public key (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .action(async (path: string, flags: { record: string; trust: string[] }) => {
      const trustedKeys = await Promise.all(
        flags.trust.map((p) => readFile(p, 'utf8').catch(() => {
          throw new CliError(`cannot read trusted key ${p}; check the path`, 2);
        })),
      );
      try {
        const proof = await proveRecord(path, flags.record, { trustedKeys });
        process.stdout.write(`${JSON.stringify(proof, null, 2)}\n`);
      } catch (error) {
        if (error instanceof ProofError) throw new CliError(error.message);
        throw error;
      }
    });
}
