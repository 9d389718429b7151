/** Small text helpers shared by the rules' explanations. */

export function quote(name: string): string {
  return name === '' ? 'an unknown user' : `'${name}'`;
}

/** "40 s", "4 min", "2.5 h", "3 days". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Hours of day as compact runs: [8,9,…,18] → "08–18"; [2,8,9,10] → "02, 08–10"; [] → "none". */
export function formatHourRuns(hours: Iterable<number>): string {
  const sorted = [...new Set(hours)].sort((a, b) => a - b);
  if (sorted.length === 0) return 'none';
  const runs: string[] = [];
  let start = sorted[0]!;
  let prev = start;
  for (const h of [...sorted.slice(1), Number.NaN]) {
    if (h === prev + 1) {
      prev = h;
      continue;
    }
    runs.push(start === prev ? pad2(start) : `${pad2(start)}–${pad2(prev)}`);
    start = h;
    prev = h;
  }
  return runs.join(', ');
}

export function formatHour(hour: number): string {
  return `${pad2(hour)}:00`;
}

/** "a, b, c" or "a, b, c and 4 more". */
export function listSome(values: Iterable<string>, max = 3): string {
  const all = [...values];
  const shown = all.slice(0, max).join(', ');
  return all.length > max ? `${shown} and ${all.length - max} more` : shown;
}

/** "1 event" / "3 events". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
