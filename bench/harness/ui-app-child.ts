// The app side of the ui bench: `node bench/.build/ui-app.js <dataDir> <staticDir>` (this file bundled,
// see bundle.ts), so the app core and its worker threads run as the app ships them, in a process of
// their own — Playwright's work in the driving process neither delays this main thread nor counts
// in its peak RSS.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createAppCore } from '../../main/core/app/create-app';
import { startWebHost } from '../../main/web-host/server';
import { DATASET_NOW } from './dataset';
import type { UiAppCommand, UiAppMessage } from './ui-app-protocol';

const [dataDir, staticDir] = process.argv.slice(2) as [string, string];
const send = (message: UiAppMessage) => process.send!(message);
const core = await createAppCore({ dataDir, host: 'browser-host', now: () => DATASET_NOW });
const host = await startWebHost({ dispatch: core.dispatch, bus: core.bus, staticDir });
// Electron's main process answers every IPC call on this thread: its delay is how long a click,
// a query's answer or the sync's progress could wait.
const delay = monitorEventLoopDelay({ resolution: 10 });

process.on('message', (command: UiAppCommand) => {
  void (async () => {
    try {
      let value: unknown;
      if (command.cmd === 'call') value = await core.dispatch(command.method, command.input);
      else if (command.cmd === 'delay-start') {
        delay.reset();
        delay.enable();
      } else if (command.cmd === 'delay-stop') {
        delay.disable();
        value = delay.max / 1e6;
      } else {
        await host.close();
        await core.close();
        value = Math.round(process.resourceUsage().maxRSS / 1024);
      }
      send({ type: 'reply', id: command.id, ok: true, value });
      if (command.cmd === 'close') process.disconnect();
    } catch (error) {
      send({ type: 'reply', id: command.id, ok: false, error: (error as Error).message });
    }
  })();
});
send({ type: 'ready', url: host.url });
