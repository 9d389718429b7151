import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The demo gateway in its own process (its in-memory store and JSON encoding must not count
 * against the measured process's CPU or RSS), generating the dataset's history itself from the
 * same generator options — the same entries, ids included. (Serving the NDJSON with `data` fails
 * from 1M records: load-export.ts reads the file into one string, over V8's 512 MB string limit.)
 */
export async function startGatewayProcess(generator: { seed: number; days: number; operators: number; events: number; now: number }): Promise<{ child: ChildProcess; url: string; token: string; stop(): void }> {
  const { now, ...history } = generator;
  const server = pathToFileURL(join(root, 'main/demo-gateway/server.ts')).href;
  const code = `
    const { startDemoGateway } = await import(${JSON.stringify(server)});
    const g = await startDemoGateway({ ...${JSON.stringify(history)}, now: () => ${now} });
    process.stdout.write(JSON.stringify({ url: g.url, token: g.createToken('auditor') }) + '\\n');
  `;
  const child = spawn(process.execPath, ['--max-old-space-size=12000', '--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`demo gateway exited (${code}) before listening`)));
  });
  const { url, token } = JSON.parse(line) as { url: string; token: string };
  return { child, url, token, stop: () => child.kill() };
}
