import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { childBundle } from './bundle';
import { RESULT_PREFIX, type TaskResult } from './figure';

/** Runs one task in a fresh child process (the bundled child, see bundle.ts), echoing its progress, and returns what it reported. */
export async function runTask(task: string, size: string, timeoutMinutes = 0): Promise<TaskResult> {
  const script = await childBundle();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8000', script, task, size], {
      cwd: join(dirname(script), '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // A figure that runs away (e.g. an import far slower than expected) must not stall the whole
    // harness: it is stopped and reported as such.
    let timedOut = false;
    const timer = timeoutMinutes > 0 ? setTimeout(() => ((timedOut = true), child.kill()), timeoutMinutes * 60_000) : null;
    let buffer = '';
    let result: TaskResult | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as TaskResult;
        else process.stdout.write(line + '\n');
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (result) resolve(result);
      else if (timedOut) reject(new Error(`bench task ${task} ${size} stopped after ${timeoutMinutes} min (--task-timeout)`));
      else reject(new Error(`bench task ${task} ${size} ended (${signal ?? code}) without a result`));
    });
  });
}
