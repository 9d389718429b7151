import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * One HTTP exchange over node:http/https. We use node's own client rather than fetch because
 * fetch (undici) only takes a custom CA through undici's Agent, which is not a dependency here,
 * and because node's errors carry the exact TLS verification code we turn into a clear message.
 * A keep-alive agent reuses connections across pages.
 */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Why an exchange produced no complete response. */
export type TransportFailure = 'timeout' | 'truncated' | 'network' | 'tls' | 'cancelled';

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Node's codes for certificate and handshake trouble. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export function isTlsCode(code: string | undefined): boolean {
  return code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'));
}

export function createAgent(url: URL, caPem?: string): http.Agent {
  if (url.protocol === 'https:') {
    // An extra CA is added to the system roots, not put in their place.
    return new https.Agent({ keepAlive: true, maxSockets: 8, ...(caPem ? { ca: [...rootCertificates, caPem] } : {}) });
  }
  return new http.Agent({ keepAlive: true, maxSockets: 8 });
}

export function exchange(agent: http.Agent, x: Exchange): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: TransportError | null, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      x.signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(response as RawResponse);
    };
    if (x.signal?.aborted) {
      reject(new TransportError('cancelled', 'cancelled'));
      return;
    }
    const client = x.url.protocol === 'https:' ? https : http;
    const headers: Record<string, string | number> = { Accept: 'application/json', ...x.headers };
    if (x.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(x.body);
    }
    const req = client.request(x.url, { method: x.method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
      });
      res.on('end', () => {
        const expected = Number(res.headers['content-length']);
        if (!res.complete || (Number.isFinite(expected) && res.headers['content-length'] !== undefined && received < expected)) {
          finish(new TransportError('truncated', `the response ended after ${received} bytes${Number.isFinite(expected) ? ` of ${expected}` : ''}`));
        } else {
          finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, received) });
        }
      });
      res.on('error', () => finish(new TransportError('truncated', `the connection broke after ${received} bytes of the response`)));
      res.on('close', () => {
        if (!res.complete) finish(new TransportError('truncated', `the connection closed after ${received} bytes of the response`));
      });
    });
    const timer = setTimeout(() => finish(new TransportError('timeout', `no complete answer within ${Math.round(x.timeoutMs / 1000)} s`)), x.timeoutMs);
    const onAbort = () => finish(new TransportError('cancelled', 'cancelled'));
    x.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code;
      if (isTlsCode(code)) finish(new TransportError('tls', error.message, code));
      else finish(new TransportError('network', error.message, code));
    });
    req.end(x.body);
  });
}
