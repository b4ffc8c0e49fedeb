import { describe, expect, it } from 'vitest';
import { breakerWindowValues } from './common.ts';

describe('breaker values of a window', () => {
  const changes = [
    { tMs: 100, to: 'closed' as const },
    { tMs: 9_000, to: 'open' as const },
    { tMs: 40_000, to: 'half-open' as const },
    { tMs: 40_100, to: 'closed' as const },
  ];

  it('says the breaker opened in the fault window and gives the whole sequence at the end', () => {
    expect(breakerWindowValues(changes, 5_000, 20_000)).toEqual({ breakerOpened: 'yes', breakerState: 'open', breakerSequence: 'closed,open' });
    expect(breakerWindowValues(changes, 45_000, 50_000)).toEqual({ breakerOpened: 'no', breakerState: 'closed', breakerSequence: 'closed,open,half-open,closed' });
  });

  it('counts a breaker that was already open through the whole window as opened', () => {
    expect(breakerWindowValues(changes, 10_000, 30_000).breakerOpened).toBe('yes');
  });

  it('fills in the half-open step when polling saw open -> closed directly', () => {
    const seen = [{ tMs: 0, to: 'closed' as const }, { tMs: 10, to: 'open' as const }, { tMs: 20, to: 'closed' as const }];
    expect(breakerWindowValues(seen, 0, 30).breakerSequence).toBe('closed,open,half-open,closed');
  });

  it('says "no" and "closed" when the breaker never left closed, and "unknown" with no reading', () => {
    expect(breakerWindowValues([{ tMs: 0, to: 'closed' }], 1_000, 2_000)).toEqual({ breakerOpened: 'no', breakerState: 'closed', breakerSequence: 'closed' });
    expect(breakerWindowValues([], 0, 10).breakerState).toBe('unknown');
  });
});
