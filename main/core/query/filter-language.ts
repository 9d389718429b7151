import type { FilterModel } from '../../../preload/contract';
import { filterModelSchema } from '../../../preload/contract';

/**
 * The text filter language, for power users and the CLI:
 *
 *   operator:jdoe event:Delete* ip:203.0.113.0/24 status:4xx after:2026-10-01 "payments"
 *
 * - `key:value` terms combine with AND; `key:a,b` means a OR b; `-key:value` excludes.
 * - Values with spaces are quoted: `resource:"payments v2"`; `\"` escapes a quote inside.
 * - A bare word or quoted phrase is full-text search.
 * - Dates (`after:`, `before:`) are ISO 8601 in UTC: `2026-10-01` or `2026-10-01T14:05`.
 * - `around:2026-10-01T14:05±30` keeps 30 minutes either side of a moment (`+-30` is the same,
 *   for keyboards without ±; no minutes means ±30).
 * `format(parse(text))` gives the canonical spelling; `parse(format(model))` gives the model back.
 */
export type ParseResult =
  | { ok: true; filter: FilterModel }
  | { ok: false; message: string; position: number; length: number };

/** A value as typed: runs of quoted and unquoted text (commas split only unquoted runs). */
type ValuePart = { text: string; quoted: boolean };

interface Token {
  negated: boolean;
  key: string | null;
  value: ValuePart[];
  position: number;
  length: number;
}

const KEY_ALIASES: Record<string, string> = {
  operator: 'operator',
  user: 'operator',
  event: 'event',
  type: 'event',
  category: 'category',
  cat: 'category',
  resource: 'resource',
  res: 'resource',
  ip: 'ip',
  source: 'source',
  token: 'token',
  method: 'method',
  status: 'status',
  after: 'after',
  from: 'after',
  before: 'before',
  to: 'before',
  last: 'last',
  around: 'around',
  has: 'has',
  severity: 'severity',
  finding: 'finding',
  tag: 'tag',
  'annotated-by': 'annotated-by',
};

const NEGATABLE = new Set(['operator', 'event', 'ip', 'source']);
const RELATIVE = new Set(['1h', '24h', '7d', '30d', '90d']);
const STATUS_CLASS = /^[1-5]xx$/;
const AROUND_DEFAULT_MINUTES = 30;
const AROUND_MAX_MINUTES = 10_080;
const HAS_VALUES = new Set(['error', 'finding', 'comment', 'annotation', 'no-error', 'no-finding']);

export function parseFilter(text: string): ParseResult {
  const lexed = tokenize(text);
  if (!lexed.ok) return lexed;
  const model: FilterModel = {};
  const push = <K extends keyof FilterModel>(key: K, values: string[]) => {
    const existing = (model[key] as string[] | undefined) ?? [];
    (model as Record<string, unknown>)[key] = [...existing, ...values];
  };
  const pushNot = (key: 'operators' | 'eventTypes' | 'ips' | 'sources', values: string[]) => {
    model.not = model.not ?? {};
    model.not[key] = [...(model.not[key] ?? []), ...values];
  };

  for (const token of lexed.tokens) {
    const fail = (message: string): ParseResult => ({ ok: false, message, position: token.position, length: token.length });
    if (token.key === null) {
      if (token.negated) return fail('a leading "-" needs a key, e.g. -operator:ci-bot');
      push('text', [token.value.map((part) => part.text).join('')]);
      continue;
    }
    const key = KEY_ALIASES[token.key.toLowerCase()];
    if (!key) return fail(`unknown key "${token.key}" — known keys: ${[...new Set(Object.values(KEY_ALIASES))].join(', ')}`);
    if (token.negated && !NEGATABLE.has(key)) return fail(`"${key}:" cannot be negated`);
    const values = splitValues(token.value);
    if (values.length === 0) return fail(`"${key}:" needs a value`);

    switch (key) {
      case 'operator':
        if (token.negated) pushNot('operators', values);
        else push('operators', values);
        break;
      case 'event':
        if (token.negated) pushNot('eventTypes', values);
        else push('eventTypes', values);
        break;
      case 'ip': {
        const bad = values.find((v) => !isIpOrCidr(v));
        if (bad) return fail(`"${bad}" is not an IP address or CIDR block`);
        if (token.negated) pushNot('ips', values);
        else push('ips', values);
        break;
      }
      case 'source':
        if (token.negated) pushNot('sources', values);
        else push('sources', values);
        break;
      case 'category':
        push('categories', values);
        break;
      case 'resource':
        push('resources', values);
        break;
      case 'token':
        push('tokenNames', values);
        break;
      case 'method':
        push('methods', values.map((v) => v.toUpperCase()));
        break;
      case 'status': {
        // Status classes (4xx) filter HTTP outcomes; any other word is a review status.
        for (const v of values) {
          const lower = v.toLowerCase();
          if (STATUS_CLASS.test(lower)) push('statusClasses', [lower as never]);
          else push('reviewStatuses', [lower.replace(/-/g, ' ')]);
        }
        break;
      }
      case 'after':
      case 'before': {
        if (values.length !== 1) return fail(`"${key}:" takes one date`);
        const seconds = parseDate(values[0]!, key === 'before');
        if (seconds === null) return fail(`"${values[0]}" is not a date — use 2026-10-01 or 2026-10-01T14:05 (UTC)`);
        if (key === 'after') model.from = seconds;
        else model.to = seconds;
        break;
      }
      case 'around': {
        if (values.length !== 1) return fail('"around:" takes one moment, e.g. around:2026-10-01T14:05±30');
        const around = parseAround(values[0]!);
        if (typeof around === 'string') return fail(around);
        model.around = around;
        break;
      }
      case 'last':
        if (values.length !== 1 || !RELATIVE.has(values[0]!)) return fail('"last:" takes one of 1h, 24h, 7d, 30d, 90d');
        model.relative = values[0] as FilterModel['relative'];
        break;
      case 'has':
        for (const v of values) {
          const lower = v.toLowerCase();
          if (!HAS_VALUES.has(lower)) return fail(`"has:" takes error, finding, comment, annotation, no-error or no-finding`);
          if (lower === 'error') model.hasError = true;
          if (lower === 'no-error') model.hasError = false;
          if (lower === 'finding') model.hasFinding = true;
          if (lower === 'no-finding') model.hasFinding = false;
          if (lower === 'comment' || lower === 'annotation') model.hasComment = true;
        }
        break;
      case 'severity': {
        const bad = values.find((v) => !['low', 'medium', 'high'].includes(v.toLowerCase()));
        if (bad) return fail(`"${bad}" is not a severity — use low, medium or high`);
        push('severities', values.map((v) => v.toLowerCase()));
        break;
      }
      case 'finding':
        push('findingIds', values);
        break;
      case 'tag':
        push('tags', values);
        break;
      case 'annotated-by':
        push('annotatedBy', values);
        break;
    }
  }
  const checked = filterModelSchema.safeParse(model);
  if (!checked.success) {
    return { ok: false, message: `filter too large: ${checked.error.issues[0]?.message ?? ''}`, position: 0, length: text.length };
  }
  return { ok: true, filter: checked.data };
}

/** The canonical text of a model (stable order, quoted where needed). */
export function formatFilter(model: FilterModel): string {
  const parts: string[] = [];
  const term = (key: string, values: string[] | undefined, negated = false) => {
    if (values && values.length > 0) parts.push(`${negated ? '-' : ''}${key}:${values.map(quoteIfNeeded).join(',')}`);
  };
  if (model.relative) parts.push(`last:${model.relative}`);
  if (model.from !== undefined) parts.push(`after:${formatDate(model.from)}`);
  if (model.to !== undefined) parts.push(`before:${formatDate(model.to + 1)}`);
  if (model.around) parts.push(`around:${formatDate(model.around.time)}±${model.around.minutes}`);
  term('operator', model.operators);
  term('operator', model.not?.operators, true);
  term('event', model.eventTypes);
  term('event', model.not?.eventTypes, true);
  term('category', model.categories);
  term('resource', model.resources);
  term('ip', model.ips);
  term('ip', model.not?.ips, true);
  term('source', model.sources);
  term('source', model.not?.sources, true);
  term('token', model.tokenNames);
  term('method', model.methods);
  term('status', model.statusClasses);
  term('status', model.reviewStatuses?.map((s) => s.replace(/ /g, '-')));
  if (model.hasError === true) parts.push('has:error');
  if (model.hasError === false) parts.push('has:no-error');
  if (model.hasFinding === true) parts.push('has:finding');
  if (model.hasFinding === false) parts.push('has:no-finding');
  if (model.hasComment) parts.push('has:comment');
  term('severity', model.severities);
  term('finding', model.findingIds);
  term('tag', model.tags);
  term('annotated-by', model.annotatedBy);
  for (const text of model.text ?? []) parts.push(quote(text));
  return parts.join(' ');
}

function tokenize(text: string): { ok: true; tokens: Token[] } | { ok: false; message: string; position: number; length: number } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    let negated = false;
    if (text[i] === '-' && i + 1 < text.length && /[A-Za-z]/.test(text[i + 1]!)) {
      const colon = /^-[A-Za-z-]+:/.exec(text.slice(i));
      if (colon) {
        negated = true;
        i++;
      }
    }
    let key: string | null = null;
    const keyMatch = /^([A-Za-z][A-Za-z-]*):/.exec(text.slice(i));
    if (keyMatch) {
      key = keyMatch[1]!;
      i += keyMatch[0].length;
    }
    const value: ValuePart[] = [];
    while (i < text.length && !/\s/.test(text[i]!)) {
      if (text[i] === '"') {
        const closed = readQuoted(text, i);
        if (!closed) return { ok: false, message: 'unclosed quote', position: i, length: text.length - i };
        value.push({ text: closed.value, quoted: true });
        i = closed.end;
      } else {
        const last = value[value.length - 1];
        if (last && !last.quoted) last.text += text[i];
        else value.push({ text: text[i]!, quoted: false });
        i++;
      }
    }
    if (key === null && value.length === 0) continue;
    tokens.push({ negated, key, value, position: start, length: i - start });
  }
  return { ok: true, tokens };
}

function readQuoted(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"') return { value, end: i + 1 };
    value += ch;
    i++;
  }
  return null;
}

/** Splits `a,b,"c,d"` on commas outside quotes. */
function splitValues(parts: ValuePart[]): string[] {
  const values: string[] = [];
  let current = '';
  let sawQuote = false;
  for (const part of parts) {
    if (part.quoted) {
      current += part.text;
      sawQuote = true;
      continue;
    }
    const pieces = part.text.split(',');
    pieces.forEach((piece, index) => {
      if (index > 0) {
        if (current !== '' || sawQuote) values.push(current);
        current = '';
        sawQuote = false;
      }
      current += piece;
    });
  }
  if (current !== '' || sawQuote) values.push(current);
  return values;
}

function quoteIfNeeded(value: string): string {
  return /[\s,"\\]/.test(value) || value === '' || /^-/.test(value) ? quote(value) : value;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function parseDate(value: string, endOfRange: boolean): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (Number.isNaN(ms)) return null;
  const date = new Date(ms);
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
  // `before:` is exclusive: before:2026-10-02 ends at 2026-10-01T23:59:59.
  return Math.floor(ms / 1000) - (endOfRange ? 1 : 0);
}

/** `2026-10-01T14:05±30`, `…+-30` or just the moment (±30); a message when it is not one. */
function parseAround(value: string): { time: number; minutes: number } | string {
  const match = /^(.*?)(?:(?:±|\+-|\+\/-)(\d{1,6}))?$/.exec(value);
  const moment = match?.[1] ?? '';
  const time = parseDate(moment, false);
  if (time === null) return `"${moment}" is not a moment — use around:2026-10-01T14:05±30 (UTC, minutes either side)`;
  const minutes = match?.[2] === undefined ? AROUND_DEFAULT_MINUTES : Number(match[2]);
  if (minutes > AROUND_MAX_MINUTES) return `"around:" allows at most ${AROUND_MAX_MINUTES} minutes (a week) either side`;
  return { time, minutes };
}

function formatDate(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith(':00.000Z') ? iso.slice(0, 16) : iso.slice(0, 19);
}

export function isIpOrCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || !address) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    if (v4.slice(1).some((octet) => Number(octet) > 255)) return false;
    return bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32);
  }
  if (/^[0-9a-fA-F:]+$/.test(address) && address.includes(':')) {
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= 128);
  }
  return false;
}
