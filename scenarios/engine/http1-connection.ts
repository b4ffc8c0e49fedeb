/**
 * One keep-alive HTTP/1.1 connection to a load target, as lean as a load generator needs: the
 * request head is a Buffer written in one call (built once per method, path and token, then
 * reused), and the response is parsed in place (status line, Content-Length or chunked body),
 * without header objects or streams. That is what autocannon does (net + a small parser) and why
 * it sends more per core than a general-purpose client. One request at a time per connection.
 */
import { connect, type Socket } from 'node:net';

export interface Http1Response {
  status: number;
  /** The body, unless the caller asked to discard it. */
  body: Buffer | undefined;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

type Pending = { resolve: (r: Http1Response) => void; reject: (e: Error) => void; discard: boolean };

export class Http1Connection {
  readonly #socket: Socket;
  #pending: Pending | undefined;
  #buf: Buffer | undefined;
  // Response state: head parsed?, status, body framing, body bytes gathered.
  #status = 0;
  #headDone = false;
  #contentLength = -1;
  #chunked = false;
  #closeAfter = false;
  #bodyParts: Buffer[] = [];
  #bodyBytes = 0;
  /** Chunked: bytes left in the current chunk (-1: expecting a size line). */
  #chunkLeft = -1;
  #dead = false;
  /** Requests answered on this connection, and whether the current one got any byte back. */
  served = 0;
  #gotBytes = false;

  constructor(host: string, port: number, timeoutMs: number) {
    this.#socket = connect({ host, port, noDelay: true });
    this.#socket.setTimeout(timeoutMs);
    this.#socket.on('data', (d: Buffer) => this.#onData(d));
    this.#socket.on('timeout', () => this.destroy(new Error(`no response within ${timeoutMs} ms`)));
    this.#socket.on('error', (e) => this.destroy(e));
    this.#socket.on('close', () => this.destroy(new Error('connection closed by the server')));
  }

  /** A reused connection that failed before any response byte: the server closed it while idle. */
  get staleFailure(): boolean {
    return this.served > 0 && !this.#gotBytes;
  }

  get usable(): boolean {
    return !this.#dead && this.#pending === undefined;
  }

  send(head: Buffer, body: Buffer | undefined, discard: boolean): Promise<Http1Response> {
    return new Promise((resolve, reject) => {
      if (this.#dead) return reject(new Error('connection is closed'));
      this.#pending = { resolve, reject, discard };
      this.#reset();
      if (body) this.#socket.write(Buffer.concat([head, body]));
      else this.#socket.write(head);
    });
  }

  destroy(e: Error): void {
    if (!this.#dead) {
      this.#dead = true;
      this.#socket.destroy();
    }
    const p = this.#pending;
    this.#pending = undefined;
    // A body framed by the connection's end is complete when the server closes it.
    if (p && this.#headDone && this.#contentLength < 0 && !this.#chunked) p.resolve({ status: this.#status, body: p.discard ? undefined : Buffer.concat(this.#bodyParts) });
    else p?.reject(e);
  }

  #reset(): void {
    this.#buf = undefined;
    this.#status = 0;
    this.#headDone = false;
    this.#contentLength = -1;
    this.#chunked = false;
    this.#closeAfter = false;
    this.#bodyParts = [];
    this.#bodyBytes = 0;
    this.#chunkLeft = -1;
    this.#gotBytes = false;
  }

  #onData(d: Buffer): void {
    if (!this.#pending) return; // nothing asked: a stray byte after a response, ignored
    this.#gotBytes = true;
    let data = this.#buf ? Buffer.concat([this.#buf, d]) : d;
    this.#buf = undefined;
    if (!this.#headDone) {
      const end = data.indexOf(CRLF2);
      if (end === -1) {
        this.#buf = data;
        return;
      }
      this.#parseHead(data.toString('latin1', 0, end));
      data = data.subarray(end + 4);
      if (this.#status === 204 || this.#status === 304 || (this.#status >= 100 && this.#status < 200)) {
        if (this.#status >= 200) return this.#complete();
        // An interim response (100 Continue): the real one follows.
        this.#reset();
        if (data.length > 0) this.#onData(data);
        return;
      }
      if (this.#contentLength === 0) return this.#complete();
    }
    if (this.#chunked) this.#readChunks(data);
    else this.#take(data, this.#contentLength < 0 ? data.length : Math.min(data.length, this.#contentLength - this.#bodyBytes));
    if (!this.#chunked && this.#contentLength >= 0 && this.#bodyBytes >= this.#contentLength) this.#complete();
  }

  #parseHead(head: string): void {
    this.#headDone = true;
    this.#status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const cl = lower.indexOf('\r\ncontent-length:');
    if (cl !== -1) {
      const eol = lower.indexOf('\r\n', cl + 2);
      this.#contentLength = parseInt(lower.slice(cl + 17, eol === -1 ? undefined : eol), 10);
    }
    this.#chunked = /\r\ntransfer-encoding:[^\r]*chunked/.test(lower);
    this.#closeAfter = /\r\nconnection:\s*close/.test(lower) || head.startsWith('HTTP/1.0');
    if (this.#chunked) this.#contentLength = -1;
  }

  #take(data: Buffer, n: number): void {
    if (n <= 0) return;
    if (!this.#pending!.discard) this.#bodyParts.push(n === data.length ? data : data.subarray(0, n));
    this.#bodyBytes += n;
  }

  #readChunks(data: Buffer): void {
    let off = 0;
    while (off < data.length) {
      if (this.#chunkLeft === -1) {
        const eol = data.indexOf(CRLF, off);
        if (eol === -1) {
          this.#buf = data.subarray(off);
          return;
        }
        const size = parseInt(data.toString('latin1', off, eol), 16);
        off = eol + 2;
        if (size === 0) {
          // The last chunk; trailers (rare) end with an empty line.
          const end = data.indexOf(CRLF2, off - 2);
          if (end === -1) {
            this.#buf = data.subarray(off - 2);
            this.#chunkLeft = -2;
            return;
          }
          return this.#complete();
        }
        this.#chunkLeft = size + 2; // the data and its CRLF
      } else if (this.#chunkLeft === -2) {
        if (data.indexOf(CRLF2) === -1) return void (this.#buf = data.subarray(off));
        return this.#complete();
      }
      const n = Math.min(this.#chunkLeft, data.length - off);
      const dataBytes = Math.max(0, Math.min(n, this.#chunkLeft - 2));
      this.#take(data.subarray(off, off + dataBytes), dataBytes);
      this.#chunkLeft -= n;
      off += n;
      if (this.#chunkLeft === 0) this.#chunkLeft = -1;
    }
  }

  #complete(): void {
    const p = this.#pending!;
    this.#pending = undefined;
    const body = p.discard ? undefined : this.#bodyParts.length === 1 ? this.#bodyParts[0] : Buffer.concat(this.#bodyParts);
    const status = this.#status;
    this.served += 1;
    if (this.#closeAfter) {
      this.#dead = true;
      this.#socket.destroy();
    }
    p.resolve({ status, body });
  }
}
