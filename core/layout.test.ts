import { describe, expect, it } from 'vitest';
import { defaultLayout, describeLayout, parseLayoutName } from './layout.ts';

describe('platform layouts', () => {
  it('gives baseline one process and optimized a process per service with two gateways', () => {
    expect(defaultLayout('baseline')).toEqual({ split: false, gatewayInstances: 1 });
    expect(defaultLayout('optimized')).toEqual({ split: true, gatewayInstances: 2 });
  });

  it('hands out a copy, so a caller overriding a field does not change the default', () => {
    defaultLayout('optimized').gatewayInstances = 7;
    expect(defaultLayout('optimized').gatewayInstances).toBe(2);
  });

  it('parses the two names and refuses anything else in one line naming the value', () => {
    expect(parseLayoutName('split')).toBe('split');
    expect(parseLayoutName('one-process')).toBe('one-process');
    expect(() => parseLayoutName('Split')).toThrow('--layout "Split" is invalid: expected one-process or split');
  });

  it('describes a layout in words', () => {
    expect(describeLayout({ split: true, gatewayInstances: 2 })).toBe('split (a process per service) + 2 gateways');
    expect(describeLayout({ split: false, gatewayInstances: 1 })).toBe('one process + 1 gateway');
  });
});
