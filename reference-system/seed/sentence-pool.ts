/**
 * Bulk text from a pool of pre-generated sentences. Drawing every word of a million posts costs
 * about 4 µs per post, more than Postgres spends storing it; picking whole sentences from a pool
 * of 65,536 (themselves drawn with the Zipf word frequencies) costs a few copies. A word's share of
 * texts is the same in expectation, and the pool is large enough that even the rarest search
 * terms appear in dozens of its sentences. Deterministic: the pool comes from the seed.
 */
import type { Rng } from './prng.ts';
import { RowWriter } from './row-writer.ts';
import { writeSentence, type TextShape } from './text.ts';

export const POOL_SENTENCES = 65_536;
export const POOL_MIN_WORDS = 2;
export const POOL_MAX_WORDS = 9;
const SPACE = 0x20;

export interface RangeSink {
  byte(b: number): void;
  copy(src: Uint8Array, start: number, end: number): void;
}

export class SentencePool {
  readonly #bytes: Buffer;
  readonly #offsets: Int32Array;
  readonly #words: Uint8Array;

  constructor(rng: Rng, count = POOL_SENTENCES) {
    const w = new RowWriter(0, 1 << 22);
    this.#offsets = new Int32Array(count + 1);
    this.#words = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      this.#offsets[i] = w.pos;
      const n = rng.range(POOL_MIN_WORDS, POOL_MAX_WORDS);
      this.#words[i] = n;
      writeSentence(w, rng, n);
      if (w.pos > w.buf.length - 1024) throw new Error('sentence pool overflow');
    }
    this.#offsets[count] = w.pos;
    this.#bytes = Buffer.from(w.buf.subarray(0, w.pos));
  }

  get size(): number {
    return this.#words.length;
  }

  /**
   * Whole sentences until at least a random target in [minWords, maxWords] content words is
   * reached; the last sentence may run up to POOL_MAX_WORDS - 1 words past maxWords.
   */
  write(out: RangeSink, rng: Rng, shape: TextShape): number {
    const target = rng.range(shape.minWords, shape.maxWords);
    let written = 0;
    while (written < target) {
      const s = rng.int(this.#words.length);
      if (written > 0) out.byte(SPACE);
      out.copy(this.#bytes, this.#offsets[s]!, this.#offsets[s + 1]!);
      written += this.#words[s]!;
    }
    return written;
  }

  /** The same as a string (tests). */
  text(rng: Rng, shape: TextShape): string {
    const w = new RowWriter(0, 64 * 1024);
    this.write(w, rng, shape);
    return w.toString();
  }
}
