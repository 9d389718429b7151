import { valueOf } from './harness/sizes';
import { run as runScale } from './scale';

/**
 * `npm run bench -- query [--sizes 100k,1m]`: the review workspace's reads alone — first pages of
 * several filters, full-text searches, counts, facets and the timeline — with p50/p95 beside the
 * same SQL on an unencrypted copy (1M by default). The `queries` task of `scale`, under its own name.
 */
export async function run(args: string[]): Promise<void> {
  await runScale(['--tasks', 'queries', '--sizes', valueOf(args, '--sizes') ?? '1m', ...args.filter((a, i) => a !== '--sizes' && args[i - 1] !== '--sizes')]);
}
