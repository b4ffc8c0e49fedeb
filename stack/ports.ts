import { createServer } from 'node:net';
import { BrinkError } from '../core/index.ts';

/** A free TCP port on 127.0.0.1, chosen by the kernel (never a standard service port by design). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** Returns the requested port if it is free (error naming it otherwise), or a free one. */
export async function choosePort(component: string, requested?: number): Promise<number> {
  if (requested === undefined) return freePort();
  if (!Number.isInteger(requested) || requested < 1 || requested > 65535) {
    throw new BrinkError('INVALID_INPUT', `${component} port "${requested}" is not a TCP port; expected 1..65535`);
  }
  if (!(await isPortFree(requested))) {
    throw new BrinkError('PORT_IN_USE', `${component} port ${requested} on 127.0.0.1 is already in use`, {
      suggestion: `free it or omit the ${component} port option to get a free one`,
    });
  }
  return requested;
}
