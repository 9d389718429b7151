// Worker thread entry: fetches, validates and hashes sync pages for the writer thread
// (see core/sync/page-reader.ts). Holds its own gateway client; requests are answered by id.
import { parentPort, workerData } from 'node:worker_threads';
import { entryToRow } from '../core/cache/record-row';
import { createGatewayClient } from '../core/gateway/client';
import { isSessionReply, sessionRelay } from '../core/gateway/session-relay';
import { GatewayError, type AuditLogQuery } from '../core/gateway/types';
import type { PageReaderInput, PageReaderReply, PageReaderRequest } from '../core/sync/page-reader-protocol';

const input = workerData as PageReaderInput;
const port = parentPort!;
// A borrowed session that expires is renewed by the client it was borrowed from, not here.
const relay = sessionRelay((request) => port.postMessage(request satisfies PageReaderReply));
const client = createGatewayClient({ ...input.gateway, renewBorrowedSession: relay.renew });
const inFlight = new Map<number, AbortController>();
// Tokens need no sign-in, nor does a password sign-in handed over with its session; only a bare
// password (a caller that has not signed in) signs in here, once.
const { credentials } = input.gateway;
let signedIn: Promise<unknown> | null = credentials.kind === 'password' && !credentials.session ? null : Promise.resolve();

port.on('message', (request: PageReaderRequest) => {
  if (isSessionReply(request)) relay.settle(request);
  else if (request.type === 'cancel') inFlight.get(request.id)?.abort();
  else if (request.type === 'close') void close();
  else void answer(request.id, request.query);
});

async function close(): Promise<void> {
  for (const controller of inFlight.values()) controller.abort();
  // Only a session this client signed into (it was given a bare password) is signed out: one it
  // was handed, or renewed through the lender, belongs to the lender.
  await client.signOut();
  port.close();
}

async function answer(id: number, query: AuditLogQuery): Promise<void> {
  const controller = new AbortController();
  inFlight.set(id, controller);
  let reply: PageReaderReply;
  try {
    await (signedIn ??= client.signIn());
    const page = await client.listAuditLogs(query, controller.signal);
    reply = { type: 'page', id, total: page.total, rows: page.list.map((entry) => entryToRow(entry)) };
  } catch (error) {
    reply =
      error instanceof GatewayError
        ? { type: 'error', id, message: error.message, kind: error.kind, ...(error.status !== undefined ? { status: error.status } : {}) }
        : { type: 'error', id, message: (error as Error)?.message ?? String(error) };
  } finally {
    inFlight.delete(id);
  }
  port.postMessage(reply);
}
