import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEMO_ACCOUNTS } from '../../demo-gateway/accounts';
import { parseFaultSpec } from '../../demo-gateway/faults';
import { startDemoGateway, type DemoGateway } from '../../demo-gateway/server';
import { CliError } from '../errors';

interface GatewayCliOptions {
  port: string;
  host: string;
  seed: string;
  days: string;
  operators: string;
  events: string;
  data?: string;
  live?: string;
  faults?: string;
  tokenFile?: string;
  log?: boolean;
}

/**
 * `audit-review gateway`: runs the API7-compatible demo gateway until Ctrl-C / SIGTERM. Prints the
 * URL, the demo accounts and the planted incidents so a demo (or a test script) can point at them.
 */
export function registerGateway(program: Command): void {
  program
    .command('gateway')
    .description('Run the API7-compatible demo gateway with a generated audit history (for trying the app and for tests)')
    .option('--port <n>', 'port to listen on (0 = any free port)', '9180')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the generated history (same seed, same history)', '1')
    .option('--days <n>', 'days of history', '60')
    .option('--operators <n>', 'people and CI accounts in the history', '25')
    .option('--events <n>', 'entries in the history', '200000')
    .option('--data <file>', 'serve this API7 export (JSON array, {"list": [...]} or NDJSON) instead of generating')
    .option('--live <r>', 'append R new events per second while running')
    .option('--faults <spec>', 'random faults on the list endpoint, e.g. "500:0.05,429:0.05,timeout:0.01,truncate:0.01,reset:0.01"')
    .option('--token-file <file>', 'write a fresh access token of the auditor account to this file (mode 0600)')
    .option('--log', 'print one line per request')
    .action(async (options: GatewayCliOptions) => {
      const port = whole(options.port, '--port', 0, 65535);
      const live = options.live === undefined ? undefined : whole(options.live, '--live', 0, 1_000_000);
      if (options.faults) {
        try {
          parseFaultSpec(options.faults);
        } catch (error) {
          throw new CliError((error as Error).message, 2);
        }
      }
      const started = Date.now();
      let gateway: DemoGateway;
      try {
        gateway = await startDemoGateway({
          port,
          host: options.host,
          seed: whole(options.seed, '--seed', 0, 2 ** 32 - 1),
          days: whole(options.days, '--days', 1, 3650),
          operators: whole(options.operators, '--operators', 2, 10_000),
          events: whole(options.events, '--events', 0, 20_000_000),
          ...(options.data ? { data: options.data } : {}),
          ...(live ? { live } : {}),
          ...(options.faults ? { faults: options.faults } : {}),
          ...(options.log ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`port ${port} on ${options.host} is in use; pick another with --port (0 = any free port)`);
        if (code === 'EACCES') throw new CliError(`not allowed to listen on ${options.host}:${port}; use a port above 1024`);
        throw new CliError((error as Error).message);
      }
      const out = process.stdout;
      out.write(`demo gateway listening on ${gateway.url}  (${gateway.store.size.toLocaleString('en-US')} entries, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      out.write(`accounts (username/password): ${DEMO_ACCOUNTS.map((a) => `${a.username}/${a.password} (${a.role})`).join(', ')}\n`);
      if (options.tokenFile) {
        writeFileSync(options.tokenFile, `${gateway.createToken('auditor', { name: 'token-file' })}\n`, { mode: 0o600 });
        out.write(`auditor access token written to ${options.tokenFile}\n`);
      }
      if (gateway.incidents.length > 0) {
        out.write(`planted incidents (${gateway.incidents.length}):\n`);
        for (const incident of gateway.incidents) {
          out.write(`  ${new Date(incident.start * 1000).toISOString()}  ${incident.kind.padEnd(22)} ${incident.description}  [${incident.record_ids.length} records, first ${incident.record_ids[0]}]\n`);
        }
      }
      if (live) out.write(`appending ${live} new events per second\n`);
      if (options.faults) out.write(`injecting faults on GET /api/audit_logs: ${options.faults}\n`);
      out.write('press Ctrl-C to stop\n');
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await gateway.close();
      out.write('demo gateway stopped\n');
    });
}

function whole(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`, 2);
  return n;
}
