/** Default cache horizon: API7 keeps 180 days in the releases we target. */
export const DEFAULT_HORIZON_SECONDS = 180 * 86_400;
export const DEFAULT_WINDOW_SECONDS = 86_400;

export interface TimeWindow {
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, inclusive. */
  end: number;
}

/** Consecutive inclusive windows covering [from, to]; none when from > to. */
export function* windowsBetween(from: number, to: number, windowSeconds: number): Generator<TimeWindow> {
  if (windowSeconds < 1) throw new Error('windowSeconds must be at least 1');
  for (let start = from; start <= to; start += windowSeconds) {
    yield { start, end: Math.min(start + windowSeconds - 1, to) };
  }
}

/** Parses "1d", "6h", "30m", "90s" or plain seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) throw new Error(`cannot read "${text}" as a duration; use e.g. 1d, 6h, 30m or 3600`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  if (seconds < 1) throw new Error('a duration must be at least 1 second');
  return seconds;
}
