import { describe, expect, it } from 'vitest';
import { SWITCHES, applySwitchOverrides, describeSwitches, switchesFor } from './switches.ts';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/index.ts';

describe('switches', () => {
  it('baseline has every fix off and optimized every fix on', () => {
    expect(Object.values(switchesFor('baseline')).every((v) => !v)).toBe(true);
    expect(Object.values(switchesFor('optimized')).every((v) => v)).toBe(true);
  });
  it('flips one switch and says so', () => {
    const s = applySwitchOverrides(switchesFor('optimized'), ['cache=off']);
    expect(s.cache).toBe(false);
    expect(describeSwitches('optimized', s)).toBe('optimized (cache=off)');
  });
  it('rejects malformed and unknown switches naming the value', () => {
    expect(() => applySwitchOverrides(switchesFor('baseline'), ['cache'])).toThrow('switch "cache" is not NAME=on|off');
    expect(() => applySwitchOverrides(switchesFor('baseline'), ['turbo=on'])).toThrow('unknown switch "turbo"');
  });
  it('names migrations that exist, each with up and down sections', () => {
    const files = readdirSync(join(PROJECT_ROOT, 'sql-audit', 'migrations'));
    for (const s of SWITCHES) for (const m of 'migrations' in s ? s.migrations : []) expect(files).toContain(`${m}.sql`);
  });
});
