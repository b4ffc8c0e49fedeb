/**
 * Generated English-like text for posts, comments and messages: sentences of content words drawn
 * with Zipf-Mandelbrot frequencies (exponent 1.2, offset 10, over WORDS), glued with stop words. Full-text search then has
 * broad terms (the top words, in a large share of posts) and selective ones (tail words, in about
 * a few posts in a thousand), the spread CP-5 and NV-12 are about.
 */
import type { Rng } from './prng.ts';
import { RowWriter } from './row-writer.ts';
import { GLUE_WORDS, WORDS } from './words.ts';
import { zipfTable, type ZipfTable } from './zipf.ts';

export const WORD_EXPONENT = 1.2;
/** Flattens the head so the most common word is in about 45% of posts, not all of them. */
export const WORD_OFFSET = 10;
const wordZipf: ZipfTable = zipfTable(WORDS.length, WORD_EXPONENT, WORD_OFFSET);

export interface TextShape {
  minWords: number;
  maxWords: number;
}

export const POST_TEXT: TextShape = { minWords: 8, maxWords: 30 };
export const COMMENT_TEXT: TextShape = { minWords: 3, maxWords: 14 };
export const MESSAGE_TEXT: TextShape = { minWords: 2, maxWords: 12 };

const enc = (w: string): Uint8Array => Buffer.from(w, 'latin1');
const WORD_BYTES = WORDS.map(enc);
const CAPITAL_BYTES = WORDS.map((w) => enc(w[0]!.toUpperCase() + w.slice(1)));
/** " the ", " and ", ...: a glue word with its spaces. */
const GLUE_BYTES = GLUE_WORDS.map((g) => enc(` ${g} `));
const ENDING_BYTES = ['.', '.', '.', '!', '?'].map((e) => e.charCodeAt(0));
const SPACE = 0x20;
const GLUE_SHARE = 0.4;

/** Where text is written: RowWriter in the loader, a scratch writer for `text()`. */
export interface ByteSink {
  byte(b: number): void;
  bytes(b: Uint8Array): void;
}

export function word(rng: Rng): string {
  return WORDS[wordZipf.sample(rng)]!;
}

/** One to a few sentences with between minWords and maxWords content words in all. */
export function writeText(out: ByteSink, rng: Rng, shape: TextShape): void {
  const count = rng.range(shape.minWords, shape.maxWords);
  let inSentence = 0;
  for (let i = 0; i < count; i++) {
    const rank = wordZipf.sample(rng);
    if (inSentence === 0) {
      if (i > 0) out.byte(SPACE);
      out.bytes(CAPITAL_BYTES[rank]!);
    } else {
      const u = rng.float();
      if (u < GLUE_SHARE) out.bytes(GLUE_BYTES[Math.floor((u / GLUE_SHARE) * GLUE_BYTES.length)]!);
      else out.byte(SPACE);
      out.bytes(WORD_BYTES[rank]!);
    }
    inSentence++;
    // Sentences of 4-12 words; the last one always ends.
    if (i === count - 1 || (inSentence >= 4 && rng.float() < inSentence / 12)) {
      out.byte(ENDING_BYTES[rng.int(ENDING_BYTES.length)]!);
      inSentence = 0;
    }
  }
}

/** One sentence of exactly `words` content words, capitalised and punctuated. */
export function writeSentence(out: ByteSink, rng: Rng, words: number): void {
  for (let i = 0; i < words; i++) {
    const rank = wordZipf.sample(rng);
    if (i === 0) out.bytes(CAPITAL_BYTES[rank]!);
    else {
      const u = rng.float();
      if (u < GLUE_SHARE) out.bytes(GLUE_BYTES[Math.floor((u / GLUE_SHARE) * GLUE_BYTES.length)]!);
      else out.byte(SPACE);
      out.bytes(WORD_BYTES[rank]!);
    }
  }
  out.byte(ENDING_BYTES[rng.int(ENDING_BYTES.length)]!);
}

/** The same text as a string. */
export function text(rng: Rng, shape: TextShape): string {
  const scratch = new RowWriter(0, 64 * 1024);
  writeText(scratch, rng, shape);
  return scratch.toString();
}

/** Expected share of texts (of `shape`) containing the word of this rank at least once. */
export function expectedTextFraction(rank: number, shape: TextShape): number {
  const p = wordZipf.probability(rank);
  const meanWords = (shape.minWords + shape.maxWords) / 2;
  return 1 - Math.pow(1 - p, meanWords);
}

/**
 * The words to search for. A term qualifies only if no other word contains it, so LIKE '%term%'
 * (baseline search) and full-text search (optimized) match the same posts.
 */
function standalone(w: string): boolean {
  return !WORDS.some((other) => other !== w && other.includes(w));
}

function pickTerms(): { selective: string[]; broad: string[] } {
  const broad: string[] = [];
  for (let r = 0; r < WORDS.length && broad.length < 5; r++) if (standalone(WORDS[r]!)) broad.push(WORDS[r]!);
  const selective: string[] = [];
  for (let r = WORDS.length - 1; r >= 0 && selective.length < 5; r--) if (standalone(WORDS[r]!)) selective.push(WORDS[r]!);
  return { broad, selective };
}

export interface SearchTerms {
  /** Rare words: expected in roughly 0.3% of posts. */
  selective: string[];
  /** Common words: expected in a large share of posts. */
  broad: string[];
}

export const searchTerms: SearchTerms = pickTerms();

export function rankOf(w: string): number {
  return WORDS.indexOf(w);
}
