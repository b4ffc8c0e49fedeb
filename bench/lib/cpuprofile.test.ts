import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageOf, summariseProfile } from './cpuprofile.ts';

const dir = mkdtempSync(join(tmpdir(), 'cpuprofile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('packageOf', () => {
  it('names npm packages, scoped ones, node internals and project files', () => {
    expect(packageOf('file:///w/node_modules/jose/dist/verify.js', 'verify')).toBe('jose');
    expect(packageOf('file:///w/node_modules/@node-rs/argon2/index.js', 'hash')).toBe('@node-rs/argon2');
    expect(packageOf('node:internal/streams/readable', 'read')).toBe('node:internal/streams/readable');
    expect(packageOf('node:net', 'connect')).toBe('node:net');
    expect(packageOf('file:///w/reference-system/gateway/index.ts', 'forward')).toBe('gateway/index.ts');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(packageOf('', 'writev')).toBe('(native)');
  });
});

describe('summariseProfile', () => {
  it('sums self time per function and package, inclusive time once per package on the stack, idle apart', () => {
    const jose = 'file:///w/node_modules/jose/x.js';
    const express = 'file:///w/node_modules/express/y.js';
    const nodes = [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [2, 5] },
      { id: 2, callFrame: { functionName: 'handle', url: express, lineNumber: 9 }, children: [3] },
      { id: 3, callFrame: { functionName: 'verify', url: jose, lineNumber: 0 }, children: [4] },
      { id: 4, callFrame: { functionName: 'inner', url: jose, lineNumber: 4 } },
      { id: 5, callFrame: { functionName: '(idle)', url: '', lineNumber: 0 } },
    ];
    // 3 ms in jose under express (2 of them in inner), 1 ms in express itself, 4 ms idle.
    const file = join(dir, 'p.cpuprofile');
    writeFileSync(file, JSON.stringify({ nodes, samples: [3, 4, 4, 2, 5, 5], timeDeltas: [1000, 1000, 1000, 1000, 2000, 2000], startTime: 0, endTime: 8000 }));
    const s = summariseProfile(file);
    expect(s.totalMs).toBe(8);
    expect(s.busyMs).toBe(4);
    expect(s.packages.find((p) => p.name === 'jose')).toEqual({ name: 'jose', selfMs: 3, inclusiveMs: 3 });
    expect(s.packages.find((p) => p.name === 'express')).toEqual({ name: 'express', selfMs: 1, inclusiveMs: 4 });
    expect(s.functions[0]).toEqual({ name: 'inner jose:5', selfMs: 2 });
  });
});
