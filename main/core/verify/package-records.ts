import { readZip } from './zip-reader';
import { scanConsumer, scanFor } from './records-scan';

/**
 * Browses the records of a package read-only, one page at a time, straight from the zip (nothing
 * is extracted or imported). Records come from records.json, or from records.csv when the package
 * has no JSON; the same parsers the verifier uses read them, so what is shown is what was signed.
 */
export interface PackagePage {
  total: number;
  source: 'records.json' | 'records.csv' | null;
  records: Record<string, unknown>[];
  problems: string[];
}

export async function readPackageRecords(path: string, options: { offset: number; limit: number }): Promise<PackagePage> {
  const pages = new Map<string, { total: number; records: Record<string, unknown>[]; error: string | null }>();
  const read = await readZip(path, (entry) => {
    const page = { total: 0, records: [] as Record<string, unknown>[], error: null as string | null };
    const scan = scanFor(entry.name, (record, _leaf, index) => {
      page.total = index + 1;
      if (index >= options.offset && index < options.offset + options.limit) page.records.push(record);
    });
    if (!scan) return null;
    pages.set(entry.name, page);
    const consumer = scanConsumer(scan);
    return {
      push: (chunk) => consumer.push(chunk),
      end: () => {
        consumer.end();
        page.error = scan.error;
      },
    };
  });
  const source = pages.has('records.json') ? 'records.json' : pages.has('records.csv') ? 'records.csv' : null;
  const page = source ? pages.get(source)! : null;
  const problems = [...read.problems, ...(page?.error ? [`${source}: ${page.error}`] : [])];
  if (!source) problems.push('the package holds no records.json or records.csv');
  return { total: page?.total ?? 0, source, records: page?.records ?? [], problems };
}
