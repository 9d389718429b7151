import { z } from 'zod';

/**
 * Thresholds of every rule, with the defaults issue 6 defines. Settings and the CLI pass partial
 * objects; `resolveAnomalyConfig` fills in the rest and rejects nonsense with a readable message.
 * Windows are "inclusive": events whose times differ by at most the window count as "within" it.
 */
const count = (d: number) => z.number().int().min(1).default(d);
const minutes = (d: number) => z.number().positive().default(d);
const factor = (d: number) => z.number().min(0).default(d);

const timezoneSchema = z
  .string()
  .default('UTC')
  .refine(isValidTimeZone, { message: 'unknown time zone; use an IANA name such as UTC or Europe/Berlin' });

export const anomalyConfigSchema = z.object({
  /** IANA zone in which hours of day, weekdays, days and clock hours are taken. */
  timezone: timezoneSchema,
  /** "Prior N days": the baseline is the N calendar days (in `timezone`) before the event's day. */
  baselineDays: count(28),
  rules: z
    .object({
      brute_force: z.object({ failures: count(5), windowMinutes: minutes(10) }).prefault({}),
      login_after_failures: z.object({ failures: count(3), windowMinutes: minutes(15) }).prefault({}),
      off_hours: z
        .object({
          minActiveDays: z.number().int().min(0).default(10),
          /** Fallback working hours, Mon–Fri [startHour, endHour). */
          workdayStartHour: z.number().int().min(0).max(23).default(7),
          workdayEndHour: z.number().int().min(1).max(24).default(19),
          groupGapMinutes: minutes(60),
        })
        .prefault({}),
      new_network: z
        .object({
          minActiveDays: z.number().int().min(0).default(5),
          ipv4PrefixBits: z.number().int().min(1).max(32).default(24),
          ipv6PrefixBits: z.number().int().min(1).max(128).default(48),
          coverHours: minutes(24),
        })
        .prefault({}),
      privilege_change: z.object({}).prefault({}),
      mass_delete: z
        .object({ windowMinutes: minutes(5), minCount: count(10), baselineFactor: factor(2) })
        .prefault({}),
      sensitive_change: z.object({}).prefault({}),
      volume_spike: z
        .object({
          minCount: count(60),
          baselineFactor: factor(4),
          percentile: z.number().min(1).max(100).default(95),
          minActiveDays: z.number().int().min(0).default(5),
          fallbackThreshold: count(200),
        })
        .prefault({}),
      dormant_account: z.object({ dormantDays: z.number().positive().default(30) }).prefault({}),
      permission_probing: z
        .object({ denials: count(5), windowMinutes: minutes(10), statusCode: z.number().int().default(403) })
        .prefault({}),
      token_multi_ip: z.object({ distinctIps: count(3), windowMinutes: minutes(60) }).prefault({}),
      audit_trail_tampering: z.object({ auditUriPrefix: z.string().min(1).default('/api/audit_logs') }).prefault({}),
    })
    .prefault({}),
});

export type AnomalyConfig = z.output<typeof anomalyConfigSchema>;
/** What settings and the CLI may pass: any subset, nested. */
export type AnomalyConfigInput = z.input<typeof anomalyConfigSchema>;

export const defaultAnomalyConfig: AnomalyConfig = Object.freeze(anomalyConfigSchema.parse({})) as AnomalyConfig;

/** Fills in defaults; throws an Error naming the first bad setting (e.g. "rules.brute_force.failures: ..."). */
export function resolveAnomalyConfig(input: AnomalyConfigInput | undefined): AnomalyConfig {
  const result = anomalyConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'anomaly settings';
  throw new Error(`invalid anomaly setting ${where}: ${issue?.message ?? 'invalid'}`);
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
