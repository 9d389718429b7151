import { z } from 'zod';
import type { InputOf, MethodMap, OutputOf } from './contract/define';
import { appMethods } from './contract/app';
import { sessionMethods, sessionSchema } from './contract/session';
import { syncMethods, syncProgressSchema, watchMethods } from './contract/sync';
import { queryMethods } from './contract/query';
import { viewMethods } from './contract/views';
import { findingEvents, findingMethods } from './contract/findings';
import { exportEvents, exportMethods } from './contract/exporting';
import { packageMethods } from './contract/packages';
import { annotationMethods, annotationProgressSchema } from './contract/annotations';
import { historyMethods } from './contract/history';

/**
 * THE contract between the UI and everything behind it. The renderer talks only to
 * `window.auditApi`, whose type is derived from here; every transport (Electron IPC, the browser
 * host, in-process tests) validates inputs and outputs against these schemas.
 */
export const methods = {
  ...appMethods,
  ...sessionMethods,
  ...syncMethods,
  ...watchMethods,
  ...queryMethods,
  ...viewMethods,
  ...annotationMethods,
  ...findingMethods,
  ...exportMethods,
  ...packageMethods,
  ...historyMethods,
} satisfies MethodMap;

export const events = {
  'session.changed': sessionSchema,
  'sync.progress': syncProgressSchema,
  'annotations.progress': annotationProgressSchema,
  'notice': z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
  ...findingEvents,
  ...exportEvents,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Events = typeof events;
export type EventName = keyof Events;
export type Input<M extends MethodName> = InputOf<Methods[M]>;
export type Output<M extends MethodName> = OutputOf<Methods[M]>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** What `window.auditApi` offers: call any method; subscribe to an event (returns unsubscribe). */
export interface AuditApi {
  call<M extends MethodName>(name: M, input: Input<M>): Promise<Output<M>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

export * from './contract/common';
export * from './contract/session';
export * from './contract/app';
export * from './contract/sync';
export * from './contract/filter';
export * from './contract/query';
export * from './contract/views';
export * from './contract/findings';
export * from './contract/exporting';
export * from './contract/packages';
export * from './contract/annotations';
export * from './contract/history';
