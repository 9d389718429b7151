/**
 * Ctrl-C for long CLI work: the first press asks the work to stop at its next safe point (the
 * returned signal aborts, and `message` says what is kept); a second press quits at once (130).
 */
export function stopOnInterrupt(message: string, signals: readonly NodeJS.Signals[] = ['SIGINT']): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${message}\n`);
    controller.abort();
  };
  for (const name of signals) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of signals) process.off(name, onSignal);
    },
  };
}
