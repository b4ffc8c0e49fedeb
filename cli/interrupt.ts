/**
 * SIGINT/SIGTERM handling for the CLI. Long-running commands register cleanups (stop processes,
 * remove toxics); on the first signal they all run, then the process exits 105 (never 0).
 * A second signal exits at once.
 */
type Cleanup = () => Promise<void> | void;
const cleanups = new Set<Cleanup>();
let interrupted = false;

export function addCleanup(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function wasInterrupted(): boolean {
  return interrupted;
}

export function onInterrupt(_makeError: () => Error): void {
  const handler = async (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(105);
    interrupted = true;
    process.stderr.write(`\nbrink: ${signal} received, cleaning up…\n`);
    for (const fn of [...cleanups].reverse()) {
      try {
        await fn();
      } catch (e) {
        process.stderr.write(`brink: cleanup failed: ${(e as Error).message}\n`);
      }
    }
    process.exit(105);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
