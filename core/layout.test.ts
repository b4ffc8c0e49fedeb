import { describe, expect, it } from 'vitest';
import { defaultLayout, describeLayout, layoutName, parseLayoutName } from './layout.ts';

describe('platform layouts', () => {
  it('keeps baseline in one process on any machine', () => {
    for (const cores of [1, 2, 4, 16]) expect(defaultLayout('baseline', cores)).toEqual({ split: false, gatewayInstances: 1 });
  });

  it('splits optimized only from 4 cores, with half the cores (at most 4) as gateways', () => {
    expect(defaultLayout('optimized', 2)).toEqual({ split: false, gatewayInstances: 1 });
    expect(defaultLayout('optimized', 3)).toEqual({ split: false, gatewayInstances: 1 });
    expect(defaultLayout('optimized', 4)).toEqual({ split: true, gatewayInstances: 2 });
    expect(defaultLayout('optimized', 6)).toEqual({ split: true, gatewayInstances: 3 });
    expect(defaultLayout('optimized', 32)).toEqual({ split: true, gatewayInstances: 4 });
  });

  it('hands out a new object, so a caller overriding a field does not change the default', () => {
    defaultLayout('optimized', 8).gatewayInstances = 7;
    expect(defaultLayout('optimized', 8).gatewayInstances).toBe(4);
  });

  it('parses the two names and refuses anything else in one line naming the value', () => {
    expect(parseLayoutName('split')).toBe('split');
    expect(parseLayoutName('one-process')).toBe('one-process');
    expect(() => parseLayoutName('Split')).toThrow('--layout "Split" is invalid: expected one-process or split');
  });

  it('describes a layout in words', () => {
    expect(describeLayout({ split: true, gatewayInstances: 2 })).toBe('split (a process per service) + 2 gateways');
    expect(describeLayout({ split: false, gatewayInstances: 1 })).toBe('one process + 1 gateway');
    expect(layoutName({ split: true, gatewayInstances: 2 })).toBe('split+2gw');
    expect(layoutName({ split: false, gatewayInstances: 1 })).toBe('one-process');
  });
});
