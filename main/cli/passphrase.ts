import { CliError } from './errors';

/**
 * The cache passphrase: from AUDIT_REVIEW_PASSPHRASE, or asked on the terminal without echo.
 * Never from a flag (it would land in shell history and `ps`).
 */
export async function readPassphrase(prompt = 'Cache passphrase: ', confirm = false): Promise<string> {
  const fromEnv = process.env.AUDIT_REVIEW_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new CliError('no passphrase: set AUDIT_REVIEW_PASSPHRASE or run in a terminal to be asked', 2);
  }
  const first = await askHidden(prompt);
  if (confirm) {
    const second = await askHidden('Repeat passphrase: ');
    if (first !== second) throw new CliError('the two passphrases differ; nothing was changed', 2);
  }
  return first;
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
export function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          cleanup();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          cleanup();
          process.stderr.write('\n');
          reject(new CliError('cancelled', 130));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}

/** Reads a whole secret from standard input (for `--password-stdin`). */
export async function readStdinSecret(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
