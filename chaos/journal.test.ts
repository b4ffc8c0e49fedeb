import { describe, expect, it } from 'vitest';
import { RunJournal } from './journal.ts';

describe('run journal', () => {
  it('counts time from startClock(), not from when the journal was made (prepare() runs before the run)', async () => {
    const made = performance.now();
    const journal = new RunJournal();
    await new Promise((r) => setTimeout(r, 30));
    const origin = journal.startClock();
    expect(origin - made).toBeGreaterThanOrEqual(29);
    const before = performance.now();
    const t = journal.now();
    const after = performance.now();
    expect(t).toBeGreaterThanOrEqual(before - origin);
    expect(t).toBeLessThanOrEqual(after - origin);
  });

  it('keeps marks and notes in order and announces each one', () => {
    const journal = new RunJournal();
    const heard: string[] = [];
    journal.on('mark', (e) => heard.push(`mark ${e.label}`));
    journal.on('note', (n) => heard.push(`note ${n}`));
    journal.mark({ tMs: 5, kind: 'breaker', label: 'users breaker closed -> open' });
    journal.note('leftover removed');
    expect(heard).toEqual(['mark users breaker closed -> open', 'note leftover removed']);
    expect(journal.timeline.map((e) => e.tMs)).toEqual([5]);
    expect(journal.notes).toEqual(['leftover removed']);
  });
});
