import catalogJson from './event-types.json' with { type: 'json' };

export type EventFlag = 'destructive' | 'privilege' | 'sensitive' | 'audit_config';

export interface EventType {
  key: string;
  name: string;
  category: string;
  flags: EventFlag[];
}

export type Verb = 'create' | 'update' | 'delete' | 'other';

const byKey = new Map<string, EventType>(
  (catalogJson.list as EventType[]).map((e) => [e.key, e]),
);

/** All event types our catalog knows, in catalog order. */
export function listEventTypes(): EventType[] {
  return [...byKey.values()];
}

/**
 * Look up an event type. Real gateways may send keys we do not know: they get their key as name,
 * category "other", and the `destructive` flag when the key starts with Delete (the anomaly
 * rules' definition).
 */
export function eventType(key: string): EventType {
  const known = byKey.get(key);
  if (known) return known;
  return { key, name: key, category: 'other', flags: key.startsWith('Delete') ? ['destructive'] : [] };
}

export function hasFlag(key: string, flag: EventFlag): boolean {
  return eventType(key).flags.includes(flag);
}

/** The verb of an event, inferred from its key's prefix (Add/Create, Update/Publish/Regenerate, Delete). */
export function verbOf(key: string): Verb {
  if (/^(Add|Create|Invite)/.test(key)) return 'create';
  if (/^(Update|Publish|Regenerate|Change)/.test(key)) return 'update';
  if (/^Delete/.test(key)) return 'delete';
  return 'other';
}
