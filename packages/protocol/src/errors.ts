// One registry of the protocol's error codes, so docs/errors.md can be checked against the code and a
// caller can switch on a stable code instead of matching message text.
import type { Failure } from './result.js';

/** Request decoding (codec.ts) and line framing (framer.ts, server.ts). */
export const DECODE_ERROR_CODES = [
  'PROTO_NEWLINE_IN_LINE',
  'PROTO_TOO_FEW_FIELDS',
  'PROTO_BAD_VERSION',
  'PROTO_UNKNOWN_COMMAND',
  'PROTO_MISSING_PARAMS',
  'PROTO_BAD_STATE',
  'PROTO_BAD_ROLE',
] as const;
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number];

/** A reply line from an agent that is not one (codec.ts decodeReply, replies.ts parsers). */
export const REPLY_ERROR_CODES = ['PROTO_BAD_REPLY'] as const;
export type ReplyErrorCode = (typeof REPLY_ERROR_CODES)[number];

export const FRAME_ERROR_CODES = ['PROTO_LINE_TOO_LONG', 'PROTO_INVALID_UTF8'] as const;
export type FrameErrorCode = (typeof FRAME_ERROR_CODES)[number];

/** Authenticated framing (auth.ts). */
export const AUTH_ERROR_CODES = [
  'AUTH_MALFORMED',
  'AUTH_BAD_MAC',
  'AUTH_STALE',
  'AUTH_REPLAY',
  'AUTH_NONCE_CACHE_FULL',
  'AUTH_REJECTED',
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

/** One request over TCP (client.ts). */
export const TRANSPORT_ERROR_CODES = [
  'CONNECT_REFUSED',
  'CONNECT_TIMEOUT',
  'UNREACHABLE',
  'READ_TIMEOUT',
  'CLOSED',
  'REPLY_TOO_LONG',
  'AUTH_FAILED',
  'PROTOCOL',
] as const;
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number];

/** Codes that only appear in log events (`code` field), never returned as values. */
export const LOG_ONLY_CODES = ['PROTO_HANDLER_FAILED', 'PROTO_IDLE_TIMEOUT'] as const;

/** Every code this package defines: the test suite checks each one is documented in docs/errors.md. */
export const PROTOCOL_PACKAGE_CODES: readonly string[] = [
  ...DECODE_ERROR_CODES,
  ...REPLY_ERROR_CODES,
  ...FRAME_ERROR_CODES,
  ...AUTH_ERROR_CODES,
  ...TRANSPORT_ERROR_CODES,
  ...LOG_ONLY_CODES,
];

/**
 * A line that could not be decoded. `reply` is the exact `ERROR: …` payload an agent answers with
 * (without `|UP:`). `host` and `command` are set when the line had them, so an agent can check the
 * host name first, as MMM does, before answering an unknown-command error.
 */
export interface DecodeError extends Failure<DecodeErrorCode> {
  readonly reply: string;
  readonly host?: string;
  readonly command?: string;
}

export type ReplyError = Failure<ReplyErrorCode>;

export type AuthError = Failure<AuthErrorCode>;

/** A failed request over TCP; `cause` is the OS error code (ECONNREFUSED…) when there was one. */
export interface TransportError extends Failure<TransportErrorCode> {
  readonly cause?: string;
}
