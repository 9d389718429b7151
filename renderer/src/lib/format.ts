import type { TimeZoneMode } from '../state/prefs-store';

/** Times are stored as Unix seconds UTC; shown in local time or UTC per the global toggle. */
export function formatTime(unixSeconds: number, mode: TimeZoneMode): string {
  const date = new Date(unixSeconds * 1000);
  if (mode === 'utc') return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatAgo(unixSeconds: number | null, now = Date.now() / 1000): string {
  if (unixSeconds === null) return 'never';
  const seconds = Math.max(0, Math.round(now - unixSeconds));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}
