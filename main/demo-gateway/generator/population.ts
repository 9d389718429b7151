import type { AuditEntry } from '../../core/records/entry';
import type { Rng } from './random';
import { pickWeighted } from './random';

/** The operator object entries carry; shared (frozen) between all entries of one actor to save memory. */
export type Operator = AuditEntry['operator'];

export type HumanRole = 'admin' | 'developer' | 'operator' | 'support' | 'auditor';

export interface Human {
  kind: 'human';
  index: number;
  operator: Operator;
  role: HumanRole;
  /** Working window in UTC hours, [startUtc, endUtc) within one UTC day. */
  startUtc: number;
  endUtc: number;
  /** Works some hours on Saturdays and Sundays every week (on-call). */
  weekends: boolean;
  officeNet: string;
  officeIp: string;
  homeNet: string;
  homeIp: string;
  /** Share of days worked from home. */
  homeShare: number;
  /** Relative activity; the event budget is split by it. */
  weight: number;
  /** Personal script token ('' when the person never scripts). */
  tokenName: string;
  userAgent: string;
  /** Active only at the start of the history, then returns in the incident window. */
  dormant: boolean;
}

export type CiJob = 'nightly_adc' | 'gitops' | 'terraform' | 'staging_adc';

export interface CiAccount {
  kind: 'ci';
  operator: Operator;
  job: CiJob;
  tokenName: string;
  net: string;
  ip: string;
  userAgent: string;
  /** UTC hours (with fraction) at which its runs start. */
  runHours: number[];
  weekdaysOnly: boolean;
}

export interface Population {
  humans: Human[];
  ci: CiAccount[];
}

const FIRST = ['Jane', 'Omar', 'Mei', 'Lukas', 'Priya', 'Tom', 'Sofia', 'Kwame', 'Anna', 'Diego', 'Yuki', 'Elena',
  'Marek', 'Fatima', 'Noah', 'Ingrid', 'Ravi', 'Chloe', 'Pavel', 'Amara', 'Jonas', 'Lea', 'Hugo', 'Nadia', 'Sam',
  'Olga', 'Felix', 'Zara', 'Aiko', 'Bruno'];
const LAST = ['Doe', 'Haddad', 'Chen', 'Becker', 'Sharma', 'Walsh', 'Rossi', 'Mensah', 'Kowalski', 'Garcia', 'Tanaka',
  'Petrova', 'Novak', 'Khan', 'Lindqvist', 'Berg', 'Iyer', 'Martin', 'Dvorak', 'Okafor', 'Weber', 'Dubois', 'Silva',
  'Nguyen', 'Moreau', 'Fischer', 'Costa', 'Ahmed', 'Sato', 'Keller'];

/** Fixed UTC offsets (no DST, so a person's UTC working hours stay put) with how common each is. */
const ZONES = [
  { offset: 0, weight: 3 },
  { offset: 1, weight: 5 },
  { offset: 2, weight: 2 },
  { offset: -5, weight: 1 },
  { offset: 5.5, weight: 1 },
  { offset: 8, weight: 1 },
];

const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
];

const WEIGHT_BY_ROLE: Record<HumanRole, number> = { admin: 0.6, developer: 1, operator: 1.1, support: 0.35, auditor: 0.08 };

/**
 * Builds the cast: mostly people (admins, developers, SREs, support, auditors) in a few time zones,
 * each with an office and a home network, plus 1–4 CI service accounts whose tokens run ADC syncs.
 */
export function buildPopulation(rng: Rng, operators: number, withDormant: boolean): Population {
  const ciCount = Math.max(1, Math.min(4, Math.round(operators * 0.12)));
  const humanCount = Math.max(1, operators - ciCount);
  const usedIds = new Set<string>();
  const usedNames = new Set<string>();
  const newId = (): string => {
    for (;;) {
      const id = `u-${rng.int(0x10000).toString(16).padStart(4, '0')}`;
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const humans: Human[] = [];
  for (let i = 0; i < humanCount; i++) {
    const first = FIRST[(i * 7 + rng.int(3)) % FIRST.length] as string;
    const last = LAST[(i * 11 + rng.int(5)) % LAST.length] as string;
    let username = `${first[0]}${last}`.toLowerCase();
    for (let n = 2; usedNames.has(username); n++) username = `${first[0]}${last}${n}`.toLowerCase();
    usedNames.add(username);
    const role = roleFor(i, humanCount);
    const zone = pickWeighted(rng, ZONES, ZONES.map((z) => z.weight));
    const length = rng.pick([8, 8.5, 9, 9.5]);
    const localStart = rng.pick([8, 8.5, 9, 9.5, 10]);
    let startUtc = localStart - zone.offset;
    startUtc = Math.min(Math.max(startUtc, 0), 24 - length - 0.25);
    const zoneIndex = ZONES.indexOf(zone);
    const officeNet = `10.20.${zoneIndex + 1}`;
    const homeNet = `100.${64 + (i >> 8)}.${i & 255}`;
    humans.push({
      kind: 'human',
      index: i,
      operator: Object.freeze({ id: newId(), username, email: `${username}@example.com`, first_name: first, last_name: last }),
      role,
      startUtc,
      endUtc: startUtc + length,
      weekends: role === 'support' || (role === 'operator' && i % 4 === 0),
      officeNet,
      officeIp: `${officeNet}.${10 + rng.int(240)}`,
      homeNet,
      homeIp: `${homeNet}.${2 + rng.int(250)}`,
      homeShare: role === 'auditor' ? 0.1 : rng.range(0.15, 0.35),
      weight: WEIGHT_BY_ROLE[role] * rng.range(0.8, 1.25),
      tokenName: role === 'developer' || role === 'operator' ? `${username}-cli` : '',
      userAgent: rng.pick(BROWSERS),
      dormant: false,
    });
  }
  if (withDormant && humanCount >= 6) {
    // The last developer goes quiet for over a month, then comes back (the dormant_account incident).
    const candidate = [...humans].reverse().find((h) => h.role === 'developer');
    if (candidate) candidate.dormant = true;
  }
  const jobs: Array<Omit<CiAccount, 'operator' | 'ip' | 'net'> & { username: string }> = [
    { kind: 'ci', username: 'svc-adc', job: 'nightly_adc', tokenName: 'adc-nightly', userAgent: 'adc/0.21.0', runHours: [2], weekdaysOnly: false },
    { kind: 'ci', username: 'svc-gitops', job: 'gitops', tokenName: 'gitops-deploy', userAgent: 'adc/0.21.0',
      runHours: [8.25, 9.25, 10.25, 11.25, 12.25, 13.25, 14.25, 15.25, 16.25, 17.25], weekdaysOnly: true },
    { kind: 'ci', username: 'svc-terraform', job: 'terraform', tokenName: 'terraform-consumers',
      userAgent: 'terraform-provider-api7/1.2.0', runHours: [6.5], weekdaysOnly: false },
    { kind: 'ci', username: 'svc-adc-staging', job: 'staging_adc', tokenName: 'adc-staging', userAgent: 'adc/0.21.0',
      runHours: [0.75, 4.75, 8.75, 12.75, 16.75, 20.75], weekdaysOnly: false },
  ];
  const ci: CiAccount[] = jobs.slice(0, ciCount).map((job, i) => {
    const { username, ...rest } = job;
    const net = '10.99.0';
    return {
      ...rest,
      operator: Object.freeze({ id: newId(), username, email: `${username}@ci.example.com`, first_name: 'CI', last_name: job.tokenName }),
      net,
      ip: `${net}.${11 + i}`,
    };
  });
  return { humans, ci };
}

/** A stable mix of roles: two admins, an auditor and a support person first, then engineers. */
function roleFor(index: number, count: number): HumanRole {
  if (index === 0 || index === 1) return 'admin';
  if (index === 2) return count >= 4 ? 'auditor' : 'developer';
  if (index === 3) return count >= 6 ? 'support' : 'operator';
  if (index % 10 === 2) return 'auditor';
  if (index % 10 === 3) return 'support';
  return index % 3 === 0 ? 'operator' : 'developer';
}
