import { createRng, type Rng } from './generator/random';

export const FAULT_KINDS = ['401', '403', '500', '429', 'timeout', 'reset', 'truncate', 'invalid_json', 'total_change'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduledFault {
  /** Serve this many list pages normally (counted from the schedule call) before the fault. */
  after_pages?: number;
  kind: FaultKind;
  /** How many consecutive list requests get the fault; default 1 (use Infinity for "from now on"). */
  times?: number;
  /** Seconds sent in Retry-After with a 429; default 1. */
  retry_after?: number;
}

/** Test handle on the gateway's fault injection; faults apply to `GET /api/audit_logs` only. */
export interface FaultController {
  schedule(fault: ScheduledFault): void;
  /** Drops scheduled faults (random faults from the spec stay). */
  clear(): void;
  /** List pages served without a fault so far. */
  readonly pagesServed: number;
  /** Faults actually injected, by kind. */
  readonly injected: Readonly<Record<string, number>>;
}

interface Pending {
  fault: ScheduledFault;
  fireAt: number;
  left: number;
}

export interface FaultDecision {
  kind: FaultKind;
  retryAfter: number;
}

/**
 * Decides, per list request, whether to misbehave: scheduled faults first (exact, for tests), then
 * the random ones from a `--faults "500:0.05,429:0.05,timeout:0.01"` spec, drawn from a seeded
 * generator so a failing run can be replayed.
 */
export class Faults implements FaultController {
  private pending: Pending[] = [];
  private served = 0;
  private readonly counts: Record<string, number> = {};
  private readonly random: Array<{ kind: FaultKind; probability: number }>;
  private readonly rng: Rng;

  constructor(spec: string | undefined, seed: number) {
    this.random = parseFaultSpec(spec ?? '');
    this.rng = createRng(seed ^ 0x5eed);
  }

  get pagesServed(): number {
    return this.served;
  }

  get injected(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  schedule(fault: ScheduledFault): void {
    if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind "${fault.kind}"; use one of ${FAULT_KINDS.join(', ')}`);
    this.pending.push({ fault, fireAt: this.served + Math.max(0, fault.after_pages ?? 0), left: fault.times ?? 1 });
  }

  clear(): void {
    this.pending = [];
  }

  /** Called once per list request: the fault to inject, or null to serve normally. */
  decide(): FaultDecision | null {
    const due = this.pending.find((p) => p.fireAt <= this.served && p.left > 0);
    if (due) {
      due.left--;
      if (due.left <= 0) this.pending = this.pending.filter((p) => p !== due);
      return this.note({ kind: due.fault.kind, retryAfter: due.fault.retry_after ?? 1 });
    }
    if (this.random.length > 0) {
      let r = this.rng.next();
      for (const { kind, probability } of this.random) {
        r -= probability;
        if (r < 0) return this.note({ kind, retryAfter: 1 });
      }
    }
    return null;
  }

  /** Called after a page was served normally. */
  pageServed(): void {
    this.served++;
  }

  private note(decision: FaultDecision): FaultDecision {
    this.counts[decision.kind] = (this.counts[decision.kind] ?? 0) + 1;
    return decision;
  }
}

/** Parses "500:0.05,429:0.05,timeout:0.01" (kind:probability pairs); throws a message naming the bad part. */
export function parseFaultSpec(spec: string): Array<{ kind: FaultKind; probability: number }> {
  const out: Array<{ kind: FaultKind; probability: number }> = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [kind, value] = part.split(':');
    const probability = Number(value);
    if (!FAULT_KINDS.includes(kind as FaultKind)) {
      throw new Error(`unknown fault "${kind}" in --faults; use kind:probability pairs with kinds ${FAULT_KINDS.join(', ')}`);
    }
    if (!Number.isFinite(probability) || probability < 0 || probability > 1) {
      throw new Error(`fault "${part}" needs a probability between 0 and 1, like 500:0.05`);
    }
    out.push({ kind: kind as FaultKind, probability });
  }
  const sum = out.reduce((a, b) => a + b.probability, 0);
  if (sum > 1) throw new Error(`fault probabilities add up to ${sum}; they must not exceed 1`);
  return out;
}
