/**
 * brink's k6 scripts are type-checked against @types/k6 with tsc (checkJs), so they stay valid k6
 * code on a machine without k6. A second run on a deliberately wrong script shows the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/index.ts';

const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const k6Config = join(PROJECT_ROOT, 'scenarios', 'k6', 'tsconfig.json');
const runTsc = (project: string) => spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { encoding: 'utf8', timeout: 120_000 });

describe('k6 scripts type-check against @types/k6', () => {
  it('scenarios/k6 has no type error', () => {
    const r = runTsc(k6Config);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('the same configuration rejects a call k6 does not have', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-k6-tsc-'));
    try {
      writeFileSync(join(dir, 'bad.js'), "import http from 'k6/http';\nexport default function () { http.get(42, 'not params', 3); }\n");
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        extends: k6Config,
        compilerOptions: { typeRoots: [join(PROJECT_ROOT, 'node_modules', '@types')] },
        include: ['bad.js'],
      }));
      const r = runTsc(join(dir, 'tsconfig.json'));
      expect(r.status).not.toBe(0);
      expect(r.stdout).toMatch(/bad\.js\(2,\d+\): error TS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
