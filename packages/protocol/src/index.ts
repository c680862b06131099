// Public surface of @mmm-ts/protocol: the agent protocol (codec, framing, authentication, transport),
// shared result and logging helpers. The config loader is at '@mmm-ts/protocol/config'.
export * from './result.js';
export * from './log.js';
export * from './errors.js';
export * from './types.js';
export * from './replies.js';
export * from './codec.js';
export * from './framer.js';
export * from './nonce-cache.js';
export * from './auth.js';
export * from './server.js';
export * from './client.js';
export * from './uptime.js';
