import { describe, expect, it } from 'vitest';
import { BrinkError } from '../../core/index.ts';
import { buildToxic, describeToxic, fromWire, parseStream, parseToxicArgs, parseToxicity, toWire, TOXIC_TYPES } from './toxics.ts';

function errorOf(fn: () => unknown): BrinkError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BrinkError) return e;
    throw e;
  }
  throw new Error('expected a BrinkError');
}

describe('toxic attributes', () => {
  it('sends the slicer delay to Toxiproxy in microseconds, unchanged from delayUs', () => {
    const slicer = parseToxicArgs('slicer', ['averageSizeBytes=100', 'sizeVariationBytes=10', 'delayUs=2500']);
    expect(toWire('brink-x', { ...slicer, stream: 'downstream', toxicity: 1 })).toEqual({
      name: 'brink-x',
      type: 'slicer',
      stream: 'downstream',
      toxicity: 1,
      attributes: { average_size: 100, size_variation: 10, delay: 2500 },
    });
  });

  it('maps every toxic to the wire names Toxiproxy reads', () => {
    const wire = (type: string, args: string[]) =>
      toWire('n', { ...parseToxicArgs(type, args), stream: 'upstream', toxicity: 0.5 }).attributes;
    expect(wire('latency', ['latencyMs=200', 'jitterMs=50'])).toEqual({ latency: 200, jitter: 50 });
    expect(wire('bandwidth', ['rateKBps=64'])).toEqual({ rate: 64 });
    expect(wire('slow_close', ['delayMs=1000'])).toEqual({ delay: 1000 });
    expect(wire('timeout', ['timeoutMs=0'])).toEqual({ timeout: 0 });
    expect(wire('reset_peer', ['timeoutMs=10'])).toEqual({ timeout: 10 });
    expect(wire('limit_data', ['bytes=4096'])).toEqual({ bytes: 4096 });
  });

  it('fills missing attributes with their defaults', () => {
    expect(parseToxicArgs('latency', ['latencyMs=300'])).toEqual({ type: 'latency', latencyMs: 300, jitterMs: 0 });
  });

  it('reads back what Toxiproxy reports in brink names', () => {
    const toxic = fromWire({ type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 8, size_variation: 2, delay: 40 } });
    expect(toxic).toEqual({ type: 'slicer', stream: 'downstream', toxicity: 1, averageSizeBytes: 8, sizeVariationBytes: 2, delayUs: 40 });
    expect(describeToxic(toxic!)).toBe('slicer averageSizeBytes=8 sizeVariationBytes=2 delayUs=40 (downstream, 100%)');
    expect(fromWire({ type: 'noop', stream: 'downstream', toxicity: 1, attributes: {} })).toBeNull();
  });

  it('rejects an unknown toxic type listing the valid ones', () => {
    const e = errorOf(() => parseToxicArgs('lag', []));
    expect(e.exitCode).toBe(104);
    expect(e.message).toBe(`unknown toxic "lag"; expected one of: ${TOXIC_TYPES.join(', ')}`);
  });

  it("rejects Toxiproxy's own slicer delay name and says it is microseconds", () => {
    const e = errorOf(() => parseToxicArgs('slicer', ['delay=10']));
    expect(e.exitCode).toBe(104);
    expect(e.message).toBe(
      `unknown slicer attribute "delay"; expected one of: averageSizeBytes, sizeVariationBytes, delayUs (Toxiproxy's "delay" is delayUs, in MICROSECONDS)`,
    );
  });

  it('rejects an attribute of another toxic type', () => {
    expect(errorOf(() => parseToxicArgs('latency', ['rateKBps=5'])).message).toBe(
      'unknown latency attribute "rateKBps"; expected one of: latencyMs, jitterMs',
    );
  });

  it('rejects malformed, negative, fractional and non-numeric values', () => {
    expect(errorOf(() => parseToxicArgs('latency', ['latencyMs'])).message).toBe(
      'attribute "latencyMs" is not NAME=VALUE; latency takes: latencyMs, jitterMs',
    );
    expect(errorOf(() => parseToxicArgs('latency', ['latencyMs=-1'])).message).toBe(
      'latency attribute latencyMs=-1 is not a whole number >= 0 (ms)',
    );
    expect(errorOf(() => parseToxicArgs('latency', ['latencyMs=1.5'])).message).toContain('is not a whole number');
    expect(errorOf(() => parseToxicArgs('latency', ['latencyMs=abc'])).message).toBe('latency attribute latencyMs="abc" is not a number');
  });

  it('rejects a slicer whose variation is not below its average size (Toxiproxy would misbehave)', () => {
    expect(errorOf(() => buildToxic('slicer', { averageSizeBytes: 10, sizeVariationBytes: 10 })).message).toBe(
      'slicer sizeVariationBytes=10 must be smaller than averageSizeBytes=10',
    );
    expect(errorOf(() => buildToxic('slicer', { averageSizeBytes: 10, sizeVariationBytes: 0 })).message).toContain('>= 1');
  });

  it('checks stream and toxicity', () => {
    expect(parseStream('upstream')).toBe('upstream');
    expect(errorOf(() => parseStream('sideways')).message).toBe('unknown stream "sideways"; expected one of: downstream, upstream');
    expect(parseToxicity('0.25')).toBe(0.25);
    expect(errorOf(() => parseToxicity('1.5')).message).toBe('toxicity "1.5" is not a fraction between 0 and 1');
    expect(errorOf(() => parseToxicity('')).exitCode).toBe(104);
  });
});
