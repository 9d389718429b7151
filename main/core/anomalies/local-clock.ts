/**
 * Hours, weekdays and days in the configured time zone.
 *
 * Intl is slow (microseconds per call) and a scan asks for every event, so the zone's UTC offset
 * is looked up once per 15-minute bucket and the rest is arithmetic. Every zone in use today has
 * offsets and transition instants on 15-minute boundaries, so all instants of a bucket share one
 * offset.
 */
const BUCKET_SECONDS = 900;
const MAX_CACHED_BUCKETS = 50_000;

export interface LocalClock {
  readonly timeZone: string;
  /** Local time minus UTC, in seconds, at Unix second `t`. */
  offsetAt(t: number): number;
  /** Local calendar day as days since 1970-01-01 (local). */
  dayOf(t: number): number;
  /** "2025-03-08 03:12" in the zone. */
  formatDateTime(t: number): string;
  /** "03:12" in the zone. */
  formatTime(t: number): string;
  /** "2025-03-08" in the zone. */
  formatDate(t: number): string;
}

export function createLocalClock(timeZone: string): LocalClock {
  const isUtc = timeZone === 'UTC' || timeZone === 'Etc/UTC';
  const formatter = isUtc
    ? undefined
    : new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
  const cache = new Map<number, number>();
  let lastBucket = Number.NaN;
  let lastOffset = 0;

  const offsetAt = (t: number): number => {
    if (formatter === undefined) return 0;
    const bucket = Math.floor(t / BUCKET_SECONDS);
    if (bucket === lastBucket) return lastOffset;
    let offset = cache.get(bucket);
    if (offset === undefined) {
      offset = zoneOffset(formatter, bucket * BUCKET_SECONDS);
      if (cache.size >= MAX_CACHED_BUCKETS) cache.clear();
      cache.set(bucket, offset);
    }
    lastBucket = bucket;
    lastOffset = offset;
    return offset;
  };
  const local = (t: number) => new Date((t + offsetAt(t)) * 1000).toISOString();

  return {
    timeZone,
    offsetAt,
    dayOf: (t) => Math.floor((t + offsetAt(t)) / 86_400),
    formatDateTime: (t) => {
      const iso = local(t);
      return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    },
    formatTime: (t) => local(t).slice(11, 16),
    formatDate: (t) => local(t).slice(0, 10),
  };
}

function zoneOffset(formatter: Intl.DateTimeFormat, t: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(t * 1000))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) / 1000;
  return wall - t;
}

/** Day number → weekday, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
