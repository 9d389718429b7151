import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../../main/core/gateway/client';
import { GatewayError } from '../../../main/core/gateway/types';

/** A self-signed certificate made for this test run with openssl. */
function selfSigned(dir: string, name: string, san: string): { cert: string; key: string } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`),
    '-days', '1', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`], { stdio: 'ignore' });
  return { cert: readFileSync(join(dir, `${name}.pem`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') };
}

async function serve(cert: { cert: string; key: string }): Promise<{ server: Server; url: string }> {
  const server = createServer(cert, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ value: { id: 'u-1', username: 'tls-user', roles: [{ name: 'Super Admin' }] } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let dir: string;
let good: { server: Server; url: string; cert: string };
let misnamed: { server: Server; url: string; cert: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-tls-'));
  const a = selfSigned(dir, 'gateway', 'IP:127.0.0.1,DNS:localhost');
  const b = selfSigned(dir, 'elsewhere', 'DNS:elsewhere.example.com');
  good = { ...(await serve(a)), cert: a.cert };
  misnamed = { ...(await serve(b)), cert: b.cert };
});

afterAll(async () => {
  for (const s of [good?.server, misnamed?.server]) if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const token = { kind: 'token' as const, token: 'a7ee-test' };

describe('gateway client over HTTPS', () => {
  it('refuses a self-signed certificate with kind tls and says how to trust a private CA', async () => {
    const client = createGatewayClient({ baseUrl: good.url, credentials: token, maxRetries: 0 });
    const error = await client.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind).toBe('tls');
    expect((error as GatewayError).message).toMatch(/not signed by a trusted authority/);
    expect((error as GatewayError).message).toMatch(/custom CA file/);
  });

  it('accepts the same gateway once its certificate is given as the extra CA', async () => {
    const client = createGatewayClient({ baseUrl: good.url, credentials: token, caPem: good.cert });
    const user = await client.me();
    expect(user.username).toBe('tls-user');
    expect(user.permissions.getAudit).toBe(true);
  });

  it('refuses a trusted certificate that names another host', async () => {
    const client = createGatewayClient({ baseUrl: misnamed.url, credentials: token, caPem: misnamed.cert, maxRetries: 0 });
    const error = (await client.me().catch((e: unknown) => e)) as GatewayError;
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/does not name this host/);
  });

  it('explains plain HTTP spoken on an https:// URL', async () => {
    const plain = await import('node:http');
    const server = plain.createServer((_, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const client = createGatewayClient({ baseUrl: `https://127.0.0.1:${port}`, credentials: token, maxRetries: 0 });
      const error = (await client.me().catch((e: unknown) => e)) as GatewayError;
      expect(error.kind).toBe('tls');
      expect(error.message).toMatch(/does not speak TLS|http:\/\//);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
