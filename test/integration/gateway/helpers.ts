import { startDemoGateway, type DemoGateway, type DemoGatewayOptions } from '../../../main/demo-gateway/server';

/** A small gateway (a few thousand entries, fixed clock) on an ephemeral port. */
export async function smallGateway(options: DemoGatewayOptions = {}): Promise<DemoGateway> {
  return startDemoGateway({ seed: 3, days: 35, operators: 12, events: 3000, now: () => 1768478400, ...options });
}

export interface Reply {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/** A raw HTTP call (no client library in the way) for checking the gateway's exact answers. */
export async function call(base: string, method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Reply> {
  const response = await fetch(base + path, {
    method,
    headers: { ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export async function loginCookie(base: string, username: string, password = username): Promise<string> {
  const reply = await call(base, 'POST', '/api/login', { body: { username, password } });
  if (reply.status !== 200) throw new Error(`login failed: ${reply.text}`);
  return (reply.headers.get('set-cookie') ?? '').split(';')[0] as string;
}
