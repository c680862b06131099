// Turns a TCP byte stream into request/reply lines, whatever the chunk boundaries, with a hard cap on
// line length and strict UTF-8, so no peer can make us buffer without bound or misread bytes.
import { isUtf8 } from 'node:buffer';
import type { FrameErrorCode } from './errors.js';

export const DEFAULT_MAX_LINE_BYTES = 65536;

export type FrameEvent =
  | { readonly type: 'line'; readonly line: string }
  | { readonly type: 'error'; readonly code: FrameErrorCode; readonly message: string };

const NEWLINE = 0x0a;

/**
 * Splits on '\n' only ('\r' is kept, as MMM does). A line longer than `maxLineBytes` (not counting
 * the '\n') yields one PROTO_LINE_TOO_LONG error as soon as the limit is passed, then its bytes are
 * discarded up to the next '\n'. A line that is not valid UTF-8 yields PROTO_INVALID_UTF8 instead.
 */
export class LineFramer {
  private chunks: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {}

  /** Feeds bytes; returns the events they complete, in order. */
  push(data: Uint8Array): FrameEvent[] {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const events: FrameEvent[] = [];
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(NEWLINE, start);
      const end = nl === -1 ? buf.length : nl;
      if (!this.discarding) {
        const len = end - start;
        if (this.size + len > this.maxLineBytes) {
          events.push({
            type: 'error',
            code: 'PROTO_LINE_TOO_LONG',
            message: `line longer than ${this.maxLineBytes} bytes`,
          });
          this.reset();
          this.discarding = true;
        } else if (len > 0) {
          // Copy: the caller may reuse its buffer after push returns.
          this.chunks.push(Buffer.from(buf.subarray(start, end)));
          this.size += len;
        }
      }
      if (nl === -1) break;
      if (this.discarding) this.discarding = false;
      else events.push(this.takeLine());
      start = nl + 1;
    }
    return events;
  }

  /** The stream ended: a last line without '\n' is still a line (MMM accepts it). */
  end(): FrameEvent[] {
    const events: FrameEvent[] = [];
    if (!this.discarding && this.size > 0) events.push(this.takeLine());
    this.reset();
    this.discarding = false;
    return events;
  }

  /** Bytes held for the current, incomplete line. */
  get pendingBytes(): number {
    return this.size;
  }

  private takeLine(): FrameEvent {
    const line = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.reset();
    if (!isUtf8(line)) return { type: 'error', code: 'PROTO_INVALID_UTF8', message: 'line is not valid UTF-8' };
    return { type: 'line', line: line.toString('utf8') };
  }

  private reset(): void {
    this.chunks = [];
    this.size = 0;
  }
}
