import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';
import { POOL_MAX_WORDS, SentencePool } from './sentence-pool.ts';
import { POST_TEXT, MESSAGE_TEXT, expectedTextFraction, rankOf, searchTerms } from './text.ts';
import { GLUE_WORDS } from './words.ts';

const pool = new SentencePool(createRng(3), 8192);
const contentWords = (t: string) => t.toLowerCase().split(/[ .!?]+/).filter((w) => w && !GLUE_WORDS.includes(w));

describe('SentencePool', () => {
  it('is deterministic for a seed', () => {
    const again = new SentencePool(createRng(3), 8192);
    const a = createRng(9);
    const b = createRng(9);
    const xs = Array.from({ length: 20 }, () => pool.text(a, POST_TEXT));
    expect(Array.from({ length: 20 }, () => again.text(b, POST_TEXT))).toEqual(xs);
    expect(new SentencePool(createRng(4), 8192).text(createRng(9), POST_TEXT)).not.toBe(xs[0]);
  });

  it('writes whole sentences reaching the word target, overshooting by less than one sentence', () => {
    const rng = createRng(1);
    for (let i = 0; i < 500; i++) {
      const t = pool.text(rng, MESSAGE_TEXT);
      expect(t).toMatch(/^[A-Z][a-z]*( [a-z]+)*[.!?]( [A-Z][a-z]*( [a-z]+)*[.!?])*$/);
      const n = contentWords(t).length;
      expect(n).toBeGreaterThanOrEqual(MESSAGE_TEXT.minWords);
      expect(n).toBeLessThan(MESSAGE_TEXT.maxWords + POOL_MAX_WORDS);
    }
  });

  it('keeps broad terms common and selective terms rare, near the per-word expectation', () => {
    const rng = createRng(2);
    const posts = Array.from({ length: 4000 }, () => new Set(contentWords(pool.text(rng, POST_TEXT))));
    const share = (w: string) => posts.filter((p) => p.has(w)).length / posts.length;
    for (const w of searchTerms.broad) {
      expect(share(w)).toBeGreaterThan(0.2);
      // Pooled posts run a little longer than drawn ones, so allow a wider band.
      expect(Math.abs(share(w) - expectedTextFraction(rankOf(w), POST_TEXT))).toBeLessThan(0.1);
    }
    for (const w of searchTerms.selective) expect(share(w)).toBeLessThan(0.02);
  });
});
