// Times every agent request without touching the agent client: a decorator around the AgentTransport
// the daemon hands to AgentClient records each request's duration and failures for the metrics.
import { performance } from 'node:perf_hooks';
import type { AgentTransport } from '../daemon/agents.js';

/** Receives one observation per agent request. */
export interface AgentRequestRecorder {
  /** A request ended (reply or failure) after `seconds`. */
  observe(host: string, command: string, seconds: number): void;
  /** A request failed: `kind` is the transport error code, or ERROR_REPLY for an `ERROR:` reply. */
  error(host: string, command: string, kind: string): void;
}

const COMMANDS: ReadonlySet<string> = new Set(['PING', 'SET_STATUS', 'GET_AGENT_STATUS', 'GET_SYSTEM_STATUS', 'CLEAR_BAD_ROLES']);

/** The command word of a request line (`SET_STATUS|…` → SET_STATUS); OTHER keeps label values bounded. */
export function commandOf(line: string): string {
  const word = line.split('|', 1)[0] ?? '';
  return COMMANDS.has(word) ? word : 'OTHER';
}

/** Wraps a transport so every request is timed and its failures counted; replies pass through unchanged. */
export function timedTransport(inner: AgentTransport, rec: AgentRequestRecorder, clock: () => number = () => performance.now()): AgentTransport {
  return async (host, ep, line, timeouts) => {
    const command = commandOf(line);
    const t0 = clock();
    try {
      const r = await inner(host, ep, line, timeouts);
      rec.observe(host, command, (clock() - t0) / 1000);
      if (!r.ok) rec.error(host, command, r.error.code);
      else if (r.value.startsWith('ERROR')) rec.error(host, command, 'ERROR_REPLY');
      return r;
    } catch (e) {
      rec.observe(host, command, (clock() - t0) / 1000);
      rec.error(host, command, 'THROWN');
      throw e;
    }
  };
}
