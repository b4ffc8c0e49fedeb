import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';
import { COMMENT_TEXT, POST_TEXT, expectedTextFraction, rankOf, searchTerms, text } from './text.ts';
import { GLUE_WORDS, WORDS } from './words.ts';

const containsWord = (t: string, w: string) => new RegExp(`\\b${w}\\b`, 'i').test(t);

describe('text', () => {
  it('is deterministic for a seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const first = text(a, POST_TEXT);
    expect(text(b, POST_TEXT)).toBe(first);
    expect(text(c, POST_TEXT)).not.toBe(first);
  });

  it('writes sentences of vocabulary words within the word-count bounds', () => {
    const rng = createRng(1);
    const vocab = new Set([...WORDS, ...GLUE_WORDS]);
    for (let i = 0; i < 300; i++) {
      const t = text(rng, COMMENT_TEXT);
      expect(t).toMatch(/^[A-Z][a-z]*( [a-z]+)*[.!?]( [A-Z][a-z]*( [a-z]+)*[.!?])*$/);
      const words = t.toLowerCase().split(/[ .!?]+/).filter(Boolean);
      for (const w of words) expect(vocab.has(w)).toBe(true);
      const content = words.filter((w) => !GLUE_WORDS.includes(w));
      expect(content.length).toBeGreaterThanOrEqual(COMMENT_TEXT.minWords);
      expect(content.length).toBeLessThanOrEqual(COMMENT_TEXT.maxWords);
    }
  });

  it('makes broad terms common and selective terms rare, as expectedTextFraction says', () => {
    const rng = createRng(7);
    const posts = Array.from({ length: 5000 }, () => text(rng, POST_TEXT));
    const share = (w: string) => posts.filter((p) => containsWord(p, w)).length / posts.length;
    for (const w of searchTerms.broad) {
      expect(share(w)).toBeGreaterThan(0.2);
      expect(Math.abs(share(w) - expectedTextFraction(rankOf(w), POST_TEXT))).toBeLessThan(0.05);
    }
    for (const w of searchTerms.selective) expect(share(w)).toBeLessThan(0.02);
  });

  it('follows a power law: the top word is far more frequent than the 100th and the 500th', () => {
    const rng = createRng(8);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      for (const w of text(rng, POST_TEXT).toLowerCase().split(/[ .!?]+/)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    const c = (r: number) => counts.get(WORDS[r]!) ?? 0;
    expect(c(0)).toBeGreaterThan(3 * c(100));
    expect(c(100)).toBeGreaterThan(c(500));
  });
});

describe('searchTerms', () => {
  it('lists five broad and five selective terms, none contained in another vocabulary word', () => {
    expect(searchTerms.broad).toHaveLength(5);
    expect(searchTerms.selective).toHaveLength(5);
    for (const t of [...searchTerms.broad, ...searchTerms.selective]) {
      expect(WORDS.filter((w) => w !== t && w.includes(t))).toEqual([]);
    }
  });

  it('has a vocabulary of unique lower-case words without glue words', () => {
    expect(new Set(WORDS).size).toBe(WORDS.length);
    for (const w of WORDS) expect(w).toMatch(/^[a-z]+$/);
    for (const g of GLUE_WORDS) expect(WORDS).not.toContain(g);
  });
});
