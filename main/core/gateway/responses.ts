import { z } from 'zod';
import { parseAuditEntry, type AuditEntry } from '../records/entry';
import { acceptCanonicalEntry } from './fast-entry';

/**
 * Shapes of the gateway's answers. Tolerant of the variants API7 builds send (a `value` or `data`
 * wrapper, numeric ids, numbers as strings) but never of a page we cannot fully read: that is an
 * error naming the page, never a silently shorter page.
 */
const pageSchema = z.object({
  total: z.coerce.number().int().min(0),
  list: z.array(z.unknown()),
});

const userSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    username: z.string().optional().default(''),
    email: z.string().nullish().transform((v) => v ?? ''),
    roles: z.array(z.unknown()).nullish().transform((v) => v ?? []),
  })
  .passthrough();

const eventTypesSchema = z.object({
  list: z.array(z.union([z.object({ key: z.string(), name: z.string().nullish() }).passthrough(), z.string()])),
});

export class ShapeError extends Error {}

/** Unwraps `{value: …}` / `{data: …}` when the payload sits inside one. */
function unwrap(body: unknown, key: string): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    if (key in record) return record;
    for (const wrapper of ['value', 'data']) {
      const inner = record[wrapper];
      if (inner && typeof inner === 'object' && key in (inner as object)) return inner;
    }
  }
  return body;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}

/**
 * A page of entries, each validated. Secrets a gateway failed to mask are masked again by the cache
 * when it stores a record (core/cache/record-row.ts), the one place every record passes through.
 */
export function parseAuditPage(body: unknown): { total: number; list: AuditEntry[] } {
  const page = pageSchema.safeParse(unwrap(body, 'list'));
  if (!page.success) throw new ShapeError(`not an audit-log page (${describe(page.error)})`);
  const list: AuditEntry[] = new Array(page.data.list.length);
  page.data.list.forEach((raw, i) => {
    const canonical = acceptCanonicalEntry(raw);
    if (canonical) {
      list[i] = canonical;
      return;
    }
    const result = parseAuditEntry(raw);
    if (!result.ok) {
      const id = raw && typeof raw === 'object' && 'id' in raw ? ` (id ${String((raw as { id: unknown }).id)})` : '';
      throw new ShapeError(`entry ${i + 1}${id}: ${result.error}`);
    }
    list[i] = result.entry;
  });
  return { total: page.data.total, list };
}

export type ParsedUser = z.output<typeof userSchema>;

export function parseUser(body: unknown): ParsedUser {
  let candidate = unwrap(body, 'id');
  if (candidate && typeof candidate === 'object' && 'user' in candidate) candidate = (candidate as { user: unknown }).user;
  const user = userSchema.safeParse(candidate);
  if (!user.success) throw new ShapeError(`not a user (${describe(user.error)})`);
  return user.data;
}

export function roleNames(roles: unknown[]): string[] {
  return roles
    .map((role) => (typeof role === 'string' ? role : role && typeof role === 'object' ? String((role as Record<string, unknown>).name ?? (role as Record<string, unknown>).id ?? '') : ''))
    .filter((name) => name !== '');
}

export function parseEventTypes(body: unknown): { key: string; name: string }[] {
  const parsed = eventTypesSchema.safeParse(unwrap(body, 'list'));
  if (!parsed.success) throw new ShapeError(`not an event type list (${describe(parsed.error)})`);
  return parsed.data.list.map((item) => (typeof item === 'string' ? { key: item, name: item } : { key: item.key, name: item.name ?? item.key }));
}
