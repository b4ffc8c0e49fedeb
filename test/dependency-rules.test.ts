import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../core/index.ts';

const DEPCRUISE = join(PROJECT_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(PROJECT_ROOT, '.dependency-cruiser.cjs');

function cruise(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'err', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('import rules (.dependency-cruiser.cjs)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'brink-deprules-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('hold over the whole tree: no cycle, no upward import, no deep import', { timeout: 120_000 }, () => {
    const r = cruise(PROJECT_ROOT, ['analyzers', 'assess', 'bench', 'bin', 'chaos', 'cli', 'core', 'docker', 'reference-system', 'reports', 'scenarios', 'sql-audit', 'stack', 'test']);
    expect(r.out).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });

  it('fail on a cycle, an upward import and a deep cross-area import', { timeout: 120_000 }, () => {
    const files: Record<string, string> = {
      'core/index.ts': "export * from './a.ts';\n",
      'core/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'core/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      'stack/index.ts': "import { a } from '../core/a.ts';\nexport const s = a;\n",
      'stack/up.ts': "import { r } from '../reference-system/r.ts';\nexport const u = r;\n",
      'reference-system/r.ts': "import { s } from '../stack/index.ts';\nexport const r = s;\n",
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
    copyFileSync(CONFIG, join(scratch, '.dependency-cruiser.cjs'));
    const r = cruise(scratch, ['core', 'stack', 'reference-system']);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/no-circular: core\/a\.ts/);
    expect(r.out).toMatch(/layer-stack: stack\/up\.ts → reference-system\/r\.ts/);
    expect(r.out).toMatch(/cross-area-through-index: stack\/index\.ts → core\/a\.ts/);
  });
});
