/**
 * A moment typed by a person: ISO 8601 (`2026-11-20T14:05`, `2026-11-20T14:05:30Z`,
 * `2026-11-20T15:05+01:00`) or Unix seconds. Without a zone it is UTC, like everywhere else in
 * the app. Returns Unix seconds, or null when the text is not a moment.
 */
export function parseMoment(text: string): number | null {
  const value = text.trim();
  if (/^\d{1,11}$/.test(value)) return Number(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = match;
  const utcMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(utcMs);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return Math.floor(utcMs / 1000) - offsetMinutes * 60;
}
