/** The dataset sizes the harness knows; `--scale 5m` adds the largest. */
export interface SizeSpec {
  label: string;
  events: number;
}

export const SIZES: Record<string, SizeSpec> = {
  '100k': { label: '100k', events: 100_000 },
  '1m': { label: '1m', events: 1_000_000 },
  '5m': { label: '5m', events: 5_000_000 },
};

/** Default 100k + 1M; `--scale 5m` adds 5M; `--sizes 100k` picks exactly (quick runs). */
export function sizesFromArgs(args: readonly string[]): SizeSpec[] {
  const explicit = valueOf(args, '--sizes');
  const labels = explicit ? explicit.split(',') : ['100k', '1m', ...(valueOf(args, '--scale')?.toLowerCase() === '5m' ? ['5m'] : [])];
  return labels.map((label) => {
    const spec = SIZES[label.toLowerCase()];
    if (!spec) throw new Error(`unknown size "${label}"; use one of ${Object.keys(SIZES).join(', ')}`);
    return spec;
  });
}

export function valueOf(args: readonly string[], name: string): string | undefined {
  const eq = args.find((a) => a.startsWith(`${name}=`));
  if (eq) return eq.slice(name.length + 1);
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}
