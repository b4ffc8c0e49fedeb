import { describe, expect, it, beforeEach } from 'vitest';
import { mkdtempSync, existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli, startCli } from '../../test/cli.ts';
import { processesOf } from '../../stack/proc-scan.ts';

let stateDir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'brink-cli-'));
  env = { BRINK_STATE_DIR: stateDir, BRINK_STACK_STATE: join(stateDir, 'stack.json') };
});

const stacksLeft = () => (existsSync(join(stateDir, 'stacks')) ? readdirSync(join(stateDir, 'stacks')) : []);

describe('brink stack (bad input)', () => {
  it('treats down with nothing up as a friendly no-op', async () => {
    const r = await runCli(['stack', 'down'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no stack is running; nothing to stop');
  });

  it('rejects an unknown provider with exit 104, naming the valid ones', async () => {
    const r = await runCli(['stack', 'up', '--provider', 'kubernetes'], env);
    expect(r.code).toBe(104);
    expect(r.stderr.trim()).toBe('brink: unknown provider "kubernetes"; expected one of: local, docker, external');
  });

  it('rejects an unknown variant and a malformed switch', async () => {
    const v = await runCli(['stack', 'up', '--variant', 'fast'], env);
    expect(v.code).toBe(104);
    expect(v.stderr).toContain('unknown variant "fast"; expected one of: baseline, optimized');
    const s = await runCli(['stack', 'up', '--switch', 'cache=maybe'], env);
    expect(s.code).toBe(104);
    expect(s.stderr).toContain('switch "cache=maybe" is not NAME=on|off');
    const u = await runCli(['stack', 'up', '--switch', 'warp-drive=on'], env);
    expect(u.code).toBe(104);
    expect(u.stderr).toContain('unknown switch "warp-drive"');
  });

  it('refuses an occupied port and leaves no process or directory behind', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['stack', 'up', '--no-platform', '--redis-port', String(port)], env);
      expect(r.code).toBe(104);
      expect(r.stderr).toContain(`redis port ${port} on 127.0.0.1 is already in use`);
      expect(stacksLeft()).toEqual([]);
      expect(existsSync(join(stateDir, 'stack.json'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('explains what the external provider needs', async () => {
    const r = await runCli(['stack', 'up', '--provider', 'external'], { ...env, BRINK_POSTGRES_URL: '' });
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('the external provider needs a Postgres URL: pass --postgres-url or set BRINK_POSTGRES_URL');
  });

  it('says the docker provider needs a Docker engine when none answers', async () => {
    const r = await runCli(['stack', 'up', '--provider', 'docker'], env);
    // This machine has the docker client but no engine; where an engine runs this test is moot.
    if (r.code === 0) return;
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('the docker provider needs a Docker engine');
  });

  it('detects a stale state file from a crashed run, and down cleans it up', async () => {
    const dir = join(stateDir, 'stacks', 'crashed');
    mkdirSync(dir, { recursive: true });
    const state = { schemaVersion: 1, provider: 'local', dir, startedAt: '2026-01-01T00:00:00Z', database: 'brink', urls: {}, proxies: [], processes: [{ name: 'redis', pid: 2 ** 22 - 7 }], components: [] };
    writeFileSync(join(stateDir, 'stack.json'), JSON.stringify(state));
    const st = await runCli(['stack', 'status'], env);
    expect(st.code).toBe(104);
    expect(st.stderr).toContain('stale stack state file');
    expect(st.stderr).toContain('run "brink stack down" to clean up');
    const up = await runCli(['stack', 'up', '--no-platform'], env);
    expect(up.code).toBe(104);
    expect(up.stderr).toContain('stale stack state file');
    const down = await runCli(['stack', 'down'], env);
    expect(down.code).toBe(0);
    expect(existsSync(join(stateDir, 'stack.json'))).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('brink stack up / status / down', () => {
  it('starts the infrastructure, reports it healthy as JSON, and stops it leaving nothing', async () => {
    const up = await runCli(['stack', 'up', '--no-platform'], env, 180_000);
    expect(up.stderr).toContain('stack up in');
    expect(up.code).toBe(0);
    const status = await runCli(['stack', 'status', '--json'], env);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout) as { dir: string; urls: Record<string, string>; components: { name: string; healthy: boolean }[] };
    expect(s.urls.postgres).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/brink$/);
    expect(s.urls.pgbouncerProxied).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/brink$/);
    expect(s.components.map((c) => [c.name, c.healthy])).toEqual([
      ['postgres', true], ['pgbouncer', true], ['redis', true], ['rabbitmq', true], ['toxiproxy', true],
    ]);
    const again = await runCli(['stack', 'up', '--no-platform'], env);
    expect(again.code).toBe(104);
    expect(again.stderr).toContain('a stack is already running');
    const down = await runCli(['stack', 'down'], env, 60_000);
    expect(down.code).toBe(0);
    expect(processesOf(s.dir)).toEqual([]);
    expect(existsSync(s.dir)).toBe(false);
    const second = await runCli(['stack', 'down'], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('nothing to stop');
  });

  it('cleans up when interrupted during up, and exits 105', async () => {
    const { child, done, output } = startCli(['stack', 'up', '--no-platform'], env);
    for (let i = 0; i < 600 && !/redis\s+ready/.test(output()); i++) await sleep(100);
    expect(output()).toMatch(/redis\s+ready/);
    const dirs = stacksLeft();
    expect(dirs).toHaveLength(1);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(105);
    expect(processesOf(join(stateDir, 'stacks', dirs[0]!))).toEqual([]);
    expect(stacksLeft()).toEqual([]);
    expect(existsSync(join(stateDir, 'stack.json'))).toBe(false);
  });
});
