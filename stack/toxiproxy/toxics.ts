/**
 * Toxiproxy's toxics with units in the names. One table (TOXIC_ATTRIBUTES) says, per toxic type,
 * which attributes it takes, their Toxiproxy wire names and their units; the ToxicSpec union is
 * derived from it, so a latency toxic with a `rateKBps` does not compile.
 *
 * Checked against Shopify/toxiproxy toxics/*.go (v2): latency {latency, jitter} ms; bandwidth
 * {rate} KB/s (kilobytes, not kilobits); slow_close {delay} ms; timeout {timeout} ms; reset_peer
 * {timeout} ms; slicer {average_size, size_variation} bytes and {delay} MICROSECONDS; limit_data
 * {bytes}. Toxiproxy silently ignores attribute names it does not know (a typo becomes a no-op
 * fault), which is why unknown names are rejected here before anything is sent.
 */
import { invalidInput, unknownName } from '../../core/index.ts';

interface AttributeDef {
  /** The attribute's name in Toxiproxy's JSON API. */
  readonly wire: string;
  readonly unit: string;
  readonly default: number;
  readonly min: number;
}

export const TOXIC_ATTRIBUTES = {
  latency: {
    latencyMs: { wire: 'latency', unit: 'ms', default: 0, min: 0 },
    jitterMs: { wire: 'jitter', unit: 'ms', default: 0, min: 0 },
  },
  bandwidth: {
    rateKBps: { wire: 'rate', unit: 'kilobytes per second', default: 0, min: 0 },
  },
  slow_close: {
    delayMs: { wire: 'delay', unit: 'ms', default: 0, min: 0 },
  },
  timeout: {
    timeoutMs: { wire: 'timeout', unit: 'ms (0 = never close, hold data until removed)', default: 0, min: 0 },
  },
  reset_peer: {
    timeoutMs: { wire: 'timeout', unit: 'ms (0 = reset at once)', default: 0, min: 0 },
  },
  slicer: {
    averageSizeBytes: { wire: 'average_size', unit: 'bytes', default: 64, min: 1 },
    // Toxiproxy calls rand.Intn(2 * size_variation): 0 would panic, so at least 1.
    sizeVariationBytes: { wire: 'size_variation', unit: 'bytes', default: 32, min: 1 },
    delayUs: { wire: 'delay', unit: 'MICROSECONDS', default: 0, min: 0 },
  },
  limit_data: {
    bytes: { wire: 'bytes', unit: 'bytes', default: 0, min: 0 },
  },
} as const satisfies Record<string, Record<string, AttributeDef>>;

export type ToxicType = keyof typeof TOXIC_ATTRIBUTES;
export const TOXIC_TYPES = Object.keys(TOXIC_ATTRIBUTES) as ToxicType[];

export const STREAMS = ['downstream', 'upstream'] as const;
export type Stream = (typeof STREAMS)[number];

/** A toxic of one type with its attributes in brink's names: { type: 'latency', latencyMs, jitterMs }. */
export type ToxicSpec = {
  [T in ToxicType]: { type: T } & { [A in keyof (typeof TOXIC_ATTRIBUTES)[T]]: number };
}[ToxicType];

/** Where and how often a toxic applies. Toxiproxy's defaults: downstream, toxicity 1 (every connection). */
export interface ToxicPlacement {
  stream: Stream;
  /** Fraction of connections affected, 0..1. */
  toxicity: number;
}

export type PlacedToxic = ToxicSpec & ToxicPlacement;

/** Every toxic brink adds carries this prefix, so `clear` removes exactly brink's and nothing else. */
export const BRINK_TOXIC_PREFIX = 'brink-';

/** The body Toxiproxy's POST /proxies/{proxy}/toxics takes. */
export interface WireToxic {
  name: string;
  type: ToxicType;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

export function attributeNames(type: ToxicType): string[] {
  return Object.keys(TOXIC_ATTRIBUTES[type]);
}

function defsOf(type: ToxicType): Record<string, AttributeDef> {
  return TOXIC_ATTRIBUTES[type] as Record<string, AttributeDef>;
}

export function parseToxicType(value: string): ToxicType {
  if (!(TOXIC_TYPES as string[]).includes(value)) throw unknownName('toxic', value, TOXIC_TYPES);
  return value as ToxicType;
}

export function parseStream(value: string): Stream {
  if (!(STREAMS as readonly string[]).includes(value)) throw unknownName('stream', value, STREAMS);
  return value as Stream;
}

export function parseToxicity(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (String(value).trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw invalidInput(`toxicity "${value}" is not a fraction between 0 and 1`);
  }
  return n;
}

/**
 * Builds a complete, checked toxic from a type and some attributes (the rest take their defaults).
 * Rejects attributes the type does not have, negative or fractional values, and a slicer whose
 * size variation is not below its average size.
 */
export function buildToxic(type: ToxicType, attributes: Record<string, number>): ToxicSpec {
  const defs = defsOf(type);
  const valid = Object.keys(defs);
  const out: Record<string, number | string> = { type };
  for (const [name, value] of Object.entries(attributes)) {
    if (!(name in defs)) throw unknownAttribute(type, name);
    const def = defs[name]!;
    if (!Number.isSafeInteger(value) || value < def.min) {
      throw invalidInput(`${type} attribute ${name}=${value} is not a whole number >= ${def.min} (${def.unit})`);
    }
  }
  for (const name of valid) out[name] = attributes[name] ?? defs[name]!.default;
  const spec = out as ToxicSpec;
  if (spec.type === 'slicer' && spec.sizeVariationBytes >= spec.averageSizeBytes) {
    throw invalidInput(
      `slicer sizeVariationBytes=${spec.sizeVariationBytes} must be smaller than averageSizeBytes=${spec.averageSizeBytes}`,
    );
  }
  return spec;
}

function unknownAttribute(type: ToxicType, name: string): Error {
  const defs = defsOf(type);
  const valid = Object.keys(defs);
  // A Toxiproxy wire name ("delay", "rate") is the most likely mistake: say which of ours it is, with its unit.
  const wireMatch = valid.find((v) => defs[v]!.wire === name);
  const hint = wireMatch ? ` (Toxiproxy's "${name}" is ${wireMatch}, in ${defs[wireMatch]!.unit})` : '';
  return invalidInput(`unknown ${type} attribute "${name}"; expected one of: ${valid.join(', ')}${hint}`);
}

/** Parses CLI attributes `latencyMs=200 jitterMs=50` for a toxic type. */
export function parseToxicArgs(type: string, args: readonly string[]): ToxicSpec {
  const t = parseToxicType(type);
  const attributes: Record<string, number> = {};
  for (const arg of args) {
    const m = /^([A-Za-z_]+)=(.*)$/.exec(arg.trim());
    if (!m) throw invalidInput(`attribute "${arg}" is not NAME=VALUE; ${t} takes: ${attributeNames(t).join(', ')}`);
    const [, name, raw] = m as unknown as [string, string, string];
    if (!(name in defsOf(t))) throw unknownAttribute(t, name);
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw invalidInput(`${t} attribute ${name}="${raw}" is not a number`);
    attributes[name] = value;
  }
  return buildToxic(t, attributes);
}

/** Toxiproxy's JSON body for a toxic: brink names turned into wire names, units unchanged (they match). */
export function toWire(name: string, toxic: PlacedToxic): WireToxic {
  const defs = defsOf(toxic.type);
  const attributes: Record<string, number> = {};
  for (const [ours, def] of Object.entries(defs)) attributes[def.wire] = (toxic as unknown as Record<string, number>)[ours]!;
  return { name, type: toxic.type, stream: toxic.stream, toxicity: toxic.toxicity, attributes };
}

/** The reverse of toWire, for listing toxics Toxiproxy reports; null for types brink does not model. */
export function fromWire(wire: { type: string; stream: string; toxicity: number; attributes: Record<string, unknown> }): PlacedToxic | null {
  if (!(TOXIC_TYPES as string[]).includes(wire.type)) return null;
  const type = wire.type as ToxicType;
  const out: Record<string, unknown> = { type, stream: wire.stream, toxicity: wire.toxicity };
  for (const [ours, def] of Object.entries(defsOf(type))) {
    const v = wire.attributes[def.wire];
    out[ours] = typeof v === 'number' ? v : def.default;
  }
  return out as unknown as PlacedToxic;
}

/** "latency latencyMs=200 jitterMs=50 (downstream, 100%)" for logs, timelines and listings. */
export function describeToxic(toxic: PlacedToxic): string {
  const attrs = attributeNames(toxic.type)
    .map((a) => `${a}=${(toxic as unknown as Record<string, number>)[a]}`)
    .join(' ');
  return `${toxic.type} ${attrs} (${toxic.stream}, ${Math.round(toxic.toxicity * 100)}%)`;
}

/** The attribute table as lines for `--help` and error suggestions. */
export function toxicHelp(): string[] {
  return TOXIC_TYPES.map(
    (t) => `${t}: ${Object.entries(defsOf(t)).map(([a, d]) => `${a} (${d.unit})`).join(', ')}`,
  );
}
