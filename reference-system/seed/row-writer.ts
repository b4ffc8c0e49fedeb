/**
 * Writes COPY text-format rows straight into byte buffers: integers, ISO timestamps and pre-encoded
 * words are written as bytes, with no per-row strings. Seeding a million posts is bound by this
 * loop (string building and its garbage collection cost three times as much), so it stays simple
 * integer work. ASCII only; callers never write tabs, newlines or backslashes inside a field.
 */
const TAB = 0x09;
const NEWLINE = 0x0a;
const NULL_MARK = Buffer.from('\\N', 'latin1');

export class RowWriter {
  buf: Buffer;
  pos = 0;
  rows = 0;

  constructor(
    readonly chunkBytes = 256 * 1024,
    /** Room for the longest row: a chunk is flushed only between rows. */
    readonly rowMaxBytes = 16 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes + rowMaxBytes);
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    if (n > 24) {
      this.buf.set(b, this.pos);
      this.pos += n;
      return;
    }
    // Words are short: a plain loop beats TypedArray#set's call overhead.
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  /** Bytes [start, end) of src. */
  copy(src: Uint8Array, start: number, end: number): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = start; i < end; i++) buf[p++] = src[i]!;
    this.pos = p;
  }

  /** An ASCII string (short ones byte by byte: cheaper than Buffer.write's call overhead). */
  str(s: string): void {
    if (s.length > 32) {
      this.pos += this.buf.write(s, this.pos, 'latin1');
      return;
    }
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  /** A non-negative integer below 2^53. */
  int(n: number): void {
    if (n < 10) {
      this.buf[this.pos++] = 48 + n;
      return;
    }
    let digits = 0;
    for (let x = n; x >= 1; x = Math.floor(x / 10)) digits++;
    let x = n;
    for (let i = digits - 1; i >= 0; i--) {
      this.buf[this.pos + i] = 48 + (x % 10);
      x = Math.floor(x / 10);
    }
    this.pos += digits;
  }

  /** Zero-padded to `width` digits. */
  padded(n: number, width: number): void {
    let x = n;
    for (let i = width - 1; i >= 0; i--) {
      this.buf[this.pos + i] = 48 + (x % 10);
      x = Math.floor(x / 10);
    }
    this.pos += width;
  }

  /** Epoch milliseconds as YYYY-MM-DDTHH:MM:SS.mmmZ (what Date#toISOString writes, years 0-9999). */
  iso(ms: number): void {
    const days = Math.floor(ms / 86_400_000);
    let rem = ms - days * 86_400_000;
    // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted).
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    this.padded(year, 4);
    this.byte(0x2d);
    this.padded(month, 2);
    this.byte(0x2d);
    this.padded(day, 2);
    this.byte(0x54);
    const h = Math.floor(rem / 3_600_000);
    rem -= h * 3_600_000;
    const m = Math.floor(rem / 60_000);
    rem -= m * 60_000;
    const s = Math.floor(rem / 1000);
    this.padded(h, 2);
    this.byte(0x3a);
    this.padded(m, 2);
    this.byte(0x3a);
    this.padded(s, 2);
    this.byte(0x2e);
    this.padded(rem - s * 1000, 3);
    this.byte(0x5a);
  }

  tab(): void {
    this.buf[this.pos++] = TAB;
  }

  /** COPY's NULL. */
  nul(): void {
    this.bytes(NULL_MARK);
  }

  /** Ends the row; returns a full chunk to send when one is ready. */
  end(): Buffer | undefined {
    this.buf[this.pos++] = NEWLINE;
    this.rows++;
    if (this.pos > this.chunkBytes + this.rowMaxBytes) throw new Error(`a generated row exceeded ${this.rowMaxBytes} bytes`);
    return this.pos >= this.chunkBytes ? this.take() : undefined;
  }

  /** Whatever is buffered (the last partial chunk), or undefined. */
  rest(): Buffer | undefined {
    return this.pos === 0 ? undefined : this.take();
  }

  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.chunkBytes + this.rowMaxBytes);
    this.pos = 0;
    return out;
  }

  /** The bytes written so far as a string (for tests and small scratch writers). */
  toString(): string {
    return this.buf.toString('latin1', 0, this.pos);
  }
}
