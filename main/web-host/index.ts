// `npm run web`: the app's UI in any browser on this machine, backed by the same core as Electron.
import { Command } from 'commander';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppCore } from '../core/app/create-app';
import { defaultDataDir } from '../core/app/data-dir';
import { startWebHost } from './server';

const program = new Command()
  .name('audit-review-web')
  .description('Serve the Audit Review UI on loopback for a browser')
  .option('--port <n>', 'port (0 = any free port)', '5177')
  .option('--data-dir <dir>', 'where caches are kept', defaultDataDir())
  .option('--demo-events <n>', 'events the built-in demo gateway generates', '100000')
  .parse();
const opts = program.opts<{ port: string; dataDir: string; demoEvents: string }>();

const core = await createAppCore({
  dataDir: opts.dataDir,
  host: 'browser-host',
  demo: { events: Number(opts.demoEvents) },
  log: (line) => process.stderr.write(`${line}\n`),
});
const host = await startWebHost({
  dispatch: core.dispatch,
  bus: core.bus,
  staticDir: join(dirname(fileURLToPath(import.meta.url)), 'renderer'),
  port: Number(opts.port),
});
process.stdout.write(`Audit Review is served at\n  ${host.url}\nOpen that address (it carries this run's access key). Ctrl-C stops.\n`);

const stop = async () => {
  await host.close();
  await core.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
