// Authenticated framing (the default mode): every request and response line carries a timestamp, a
// nonce and an HMAC-SHA256 under the cluster secret, so lines cannot be forged, tampered with or
// replayed, and a response is bound to the request it answers. Format: docs/protocol.md.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from './result.js';
import type { AuthError } from './errors.js';
import { DEFAULT_AUTH_WINDOW_MS, type NonceCache } from './nonce-cache.js';
import { REPLY_AUTH_FAILED } from './replies.js';

export const AUTH_MAGIC = 'MMMA1';
/** The cluster's shared secret; a string is used as its UTF-8 bytes. Never logged. */
export type Secret = string | Buffer;

// MMMA1 SP ts SP nonce SP mac SP payload. ts: decimal ms, no leading zeros, at most 15 digits.
const FRAME_RE = /^MMMA1 (0|[1-9][0-9]{0,14}) ([0-9a-f]{32}) ([0-9a-f]{64}) /;

interface Frame {
  readonly ts: number;
  readonly tsText: string;
  readonly nonce: string;
  readonly mac: Buffer;
  readonly payload: string;
}

function parseFrame(line: string): Result<Frame, AuthError> {
  const m = FRAME_RE.exec(line);
  const [head, tsText, nonce, macHex] = m ?? [];
  if (head === undefined || tsText === undefined || nonce === undefined || macHex === undefined) {
    return err({ code: 'AUTH_MALFORMED', message: 'line is not an authenticated MMMA1 frame' });
  }
  return ok({ ts: Number(tsText), tsText, nonce, mac: Buffer.from(macHex, 'hex'), payload: line.slice(head.length) });
}

function mac(secret: Secret, parts: readonly string[], payload: string): Buffer {
  const h = createHmac('sha256', secret);
  h.update(parts.map((p) => `${p}\n`).join(''), 'utf8');
  h.update(payload, 'utf8');
  return h.digest();
}

const macMatches = (expected: Buffer, got: Buffer): boolean =>
  expected.length === got.length && timingSafeEqual(expected, got);

function newNonce(): string {
  return randomBytes(16).toString('hex');
}

function tsText(now: number): string {
  return String(Math.max(0, Math.floor(now)));
}

function fresh(ts: number, now: number, windowMs: number): boolean {
  return Math.abs(now - ts) <= windowMs;
}

export interface SignedRequest {
  /** The line to send (without newline). */
  readonly line: string;
  /** The request nonce: pass it to verifyResponse for the answer. */
  readonly nonce: string;
}

/** Wraps a v1 request line: `MMMA1 <ts> <nonce> <HMAC("req\n"+ts+"\n"+nonce+"\n"+payload)> <payload>`. */
export function signRequest(secret: Secret, payload: string, now: number): SignedRequest {
  const ts = tsText(now);
  const nonce = newNonce();
  const tag = mac(secret, ['req', ts, nonce], payload).toString('hex');
  return { line: `${AUTH_MAGIC} ${ts} ${nonce} ${tag} ${payload}`, nonce };
}

/**
 * Checks a request line: frame, MAC (constant time), clock window, then nonce freshness (only
 * authentic lines reach the cache). Total: any string gives the payload or an AuthError.
 */
export function verifyRequest(
  secret: Secret,
  line: string,
  now: number,
  nonceCache: NonceCache,
): Result<{ payload: string; nonce: string }, AuthError> {
  const f = parseFrame(line);
  if (!f.ok) return f;
  const { ts, nonce, payload } = f.value;
  if (!macMatches(mac(secret, ['req', f.value.tsText, nonce], payload), f.value.mac)) {
    return err({ code: 'AUTH_BAD_MAC', message: 'request MAC does not verify' });
  }
  if (!fresh(ts, now, nonceCache.windowMs)) {
    return err({ code: 'AUTH_STALE', message: `request timestamp ${ts} is more than ${nonceCache.windowMs} ms from now (${now})` });
  }
  const verdict = nonceCache.check(nonce, ts, now);
  if (verdict === 'replay') return err({ code: 'AUTH_REPLAY', message: `request nonce ${nonce} was already used` });
  if (verdict === 'full') return err({ code: 'AUTH_NONCE_CACHE_FULL', message: 'too many recent requests; nonce cache full' });
  return ok({ payload, nonce });
}

/** Wraps a v1 reply line, bound to the request's nonce: MAC over "res\n"+ts+"\n"+reqNonce+"\n"+nonce+"\n"+payload. */
export function signResponse(secret: Secret, payload: string, reqNonce: string, now: number): string {
  const ts = tsText(now);
  const nonce = newNonce();
  const tag = mac(secret, ['res', ts, reqNonce, nonce], payload).toString('hex');
  return `${AUTH_MAGIC} ${ts} ${nonce} ${tag} ${payload}`;
}

/**
 * Checks a response to the request with nonce `reqNonce`: a forged line, one answering another
 * request, or an old one fails. The agent's plain `ERROR: authentication failed` is AUTH_REJECTED.
 */
export function verifyResponse(
  secret: Secret,
  line: string,
  reqNonce: string,
  now: number,
  windowMs: number = DEFAULT_AUTH_WINDOW_MS,
): Result<string, AuthError> {
  if (line === REPLY_AUTH_FAILED) return err({ code: 'AUTH_REJECTED', message: 'the agent refused our authentication' });
  const f = parseFrame(line);
  if (!f.ok) return f;
  const { ts, nonce, payload } = f.value;
  if (!macMatches(mac(secret, ['res', f.value.tsText, reqNonce, nonce], payload), f.value.mac)) {
    return err({ code: 'AUTH_BAD_MAC', message: 'response MAC does not verify for this request' });
  }
  if (!fresh(ts, now, windowMs)) {
    return err({ code: 'AUTH_STALE', message: `response timestamp ${ts} is more than ${windowMs} ms from now (${now})` });
  }
  return ok(payload);
}
