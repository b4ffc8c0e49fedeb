import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli, startCli } from '../../test/cli.ts';
import { processesOf } from '../../stack/proc-scan.ts';

const isolated = () => {
  const dir = mkdtempSync(join(tmpdir(), 'brink-assess-cli-'));
  // mkdtemp makes it 0700; Postgres and RabbitMQ run as their own users and must reach below it.
  chmodSync(dir, 0o755);
  return { dir, env: { BRINK_STATE_DIR: join(dir, 'state'), BRINK_STACK_STATE: join(dir, 'state', 'stack.json') } };
};

describe('brink assess (CLI)', () => {
  it('rejects an unknown profile, scale or engine with exit 104, naming the valid ones', async () => {
    const { env } = isolated();
    const p = await runCli(['assess', '--profile', 'huge'], env);
    expect(p.code).toBe(104);
    expect(p.stderr).toContain('unknown profile "huge"; expected one of: smoke, full');
    const s = await runCli(['assess', '--scale', 'large'], env);
    expect(s.code).toBe(104);
    expect(s.stderr).toContain('unknown scale "large"; expected one of: small, medium');
    const e = await runCli(['assess', '--engine', 'jmeter'], env);
    expect(e.code).toBe(104);
    expect(e.stderr).toContain('unknown engine "jmeter"; expected one of: k6, node');
  });

  it('rejects --out pointing at a file and an unknown --fail-on gate with one line and exit 104', async () => {
    const { dir, env } = isolated();
    const file = join(dir, 'report.html');
    writeFileSync(file, 'x');
    const o = await runCli(['assess', '--out', file], env);
    expect(o.code).toBe(104);
    expect(o.stderr.trim()).toBe(`brink: --out "${file}" is a file; expected a directory (existing or new)`);
    const below = await runCli(['assess', '--out', join(file, 'sub')], env);
    expect(below.code).toBe(104);
    expect(below.stderr).toContain('which is a file; expected a directory path');
    const g = await runCli(['assess', '--fail-on', 'refuted,sometimes'], env);
    expect(g.code).toBe(104);
    expect(g.stderr.trim()).toBe('brink: unknown --fail-on gate "sometimes"; expected one of: refuted, critical, incomplete');
    expect(`${o.stderr}${below.stderr}${g.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('interrupted, it stops the stack it started, keeps what it gathered marked incomplete, and exits 105', { timeout: 400_000 }, async () => {
    const { dir, env } = isolated();
    const out = join(dir, 'out');
    const { child, done, output } = startCli(['assess', '--profile', 'smoke', '--engine', 'node', '--out', out], env);
    let exited = false;
    void done.then(() => (exited = true));
    // Interrupt during the audit, after the stack is up and the data seeded.
    for (let i = 0; i < 3000 && !exited && !/\[3\/\d\]/.test(output()); i++) await sleep(100);
    expect(output()).toMatch(/\[3\/\d\]/);
    await sleep(3000);
    const stacks = readdirSync(join(dir, 'state', 'stacks'));
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(105);
    const meta = JSON.parse(readFileSync(join(out, 'assessment.json'), 'utf8')) as { complete: boolean; steps: { name: string; status: string }[] };
    expect(meta.complete).toBe(false);
    expect(meta.steps.slice(0, 2).map((s) => [s.name, s.status])).toEqual([['stack', 'ok'], ['seed', 'ok']]);
    for (const s of stacks) expect(processesOf(join(dir, 'state', 'stacks', s))).toEqual([]);
    expect(existsSync(join(dir, 'state', 'stack.json'))).toBe(false);
  });
});
