import { z } from 'zod';
import type { Finding } from './finding';
import { RULE_IDS } from './rule-ids';

/**
 * A suppression silences one rule's findings for an operator / IP / event type / token. It never
 * deletes anything: findings it matches stay in the results, marked, so they remain reachable
 * under a "suppressed" filter and are listed in exports. Suppressions match on content, not on
 * finding ids, so they survive rescans and threshold changes.
 */
export const suppressionSchema = z.object({
  id: z.string().min(1),
  rule: z.enum(RULE_IDS),
  match: z
    .object({
      operator_id: z.string().min(1).optional(),
      ip: z.string().min(1).optional(),
      event_type: z.string().min(1).optional(),
      token_name: z.string().min(1).optional(),
    })
    .refine((m) => Object.values(m).some((v) => v !== undefined), {
      message: 'say what to suppress: an operator, IP, event type or token',
    }),
  reason: z.string().trim().min(1, 'a reason is required'),
  author: z.string().min(1),
  /** Unix seconds. */
  created_at: z.number().int(),
  /** Unix seconds; the suppression stops applying at this instant. */
  expires_at: z.number().int().optional(),
});

export type Suppression = z.output<typeof suppressionSchema>;

export type SuppressedFinding = Finding & { suppressed: { id: string; reason: string } | null };

/**
 * Marks each finding with the first (oldest) suppression in force at `now` that matches it, or
 * null. A suppression matches when its rule is the finding's rule and every criterion it sets
 * holds for ALL of the finding's records: an IP criterion does not hide a finding that also
 * involves another IP, since that other part was never reviewed.
 */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[], now: number): SuppressedFinding[] {
  const active = suppressions
    .filter((s) => s.created_at <= now && (s.expires_at === undefined || now < s.expires_at))
    .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return findings.map((finding) => {
    const match = active.find((s) => matches(s, finding));
    return { ...finding, suppressed: match ? { id: match.id, reason: match.reason } : null };
  });
}

export function matches(s: Suppression, f: Finding): boolean {
  if (s.rule !== f.rule) return false;
  const m = s.match;
  if (m.operator_id !== undefined && f.operator_id !== m.operator_id) return false;
  if (m.ip !== undefined && !onlyValue(f.evidence.ips, m.ip)) return false;
  if (m.event_type !== undefined && !onlyValue(f.evidence.event_types, m.event_type)) return false;
  if (m.token_name !== undefined && !onlyValue(f.evidence.token_names, m.token_name)) return false;
  return true;
}

function onlyValue(values: unknown, wanted: string): boolean {
  return Array.isArray(values) && values.length > 0 && values.every((v) => v === wanted);
}
