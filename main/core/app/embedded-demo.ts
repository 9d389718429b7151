/**
 * The demo gateway the app starts on "Use the demo gateway": a real API7-compatible server on a
 * loopback port with generated history, signed into as the demo auditor.
 */
export interface EmbeddedDemo {
  url: string;
  /** The running gateway itself (tests use it to revoke permissions or inject faults). */
  gateway: import('../../demo-gateway/server').DemoGateway;
  signIn: { url: string; username: string; password: string };
  close(): Promise<void>;
}

export async function startEmbeddedDemo(options: { events?: number; days?: number; seed?: number }, log: (line: string) => void): Promise<EmbeddedDemo> {
  const { startDemoGateway } = await import('../../demo-gateway/server');
  const gateway = await startDemoGateway({
    port: 0,
    host: '127.0.0.1',
    seed: options.seed ?? 1,
    days: options.days ?? 45,
    events: options.events ?? 100_000,
    log,
  });
  log(`demo gateway on ${gateway.url}`);
  return {
    url: gateway.url,
    gateway,
    signIn: { url: gateway.url, username: 'auditor', password: 'auditor' },
    close: () => gateway.close(),
  };
}
