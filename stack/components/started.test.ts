import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, spawnDetached } from '../processes.ts';
import { started } from './started.ts';

describe('started()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brink-started-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the fields and stops the process group, also through await using', async () => {
    const a = spawnDetached('sleeper', 'sleep', ['30'], { logFile: join(dir, 'a.log') });
    const c = started({ process: a, url: 'http://127.0.0.1:1', port: 1, version: 'x', extra: 7 }, 1000);
    expect(c.extra).toBe(7);
    expect(isAlive(a.pid)).toBe(true);
    await c.stop();
    expect(isAlive(a.pid)).toBe(false);

    const b = spawnDetached('sleeper', 'sleep', ['30'], { logFile: join(dir, 'b.log') });
    {
      await using _ = started({ process: b, url: 'http://127.0.0.1:2', port: 2, version: 'x' }, 1000);
      expect(isAlive(b.pid)).toBe(true);
    }
    expect(isAlive(b.pid)).toBe(false);
  });
});
