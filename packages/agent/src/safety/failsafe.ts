// The failsafe (Patroni's idea, made safe for a monitor-driven cluster): a writer whose lease ran out
// keeps its role only while a majority of ALL agents (itself included) support it. A peer supports
// the writer unless it has told the monitor, by a CHECK_HOST answer still in force, that it cannot
// reach the writer's MySQL: the monitor promotes over an unreachable writer only with such denials
// from enough peers that no supporting majority can remain. Proof in docs/fencing.md.
import { decodeReply, encodeRequest, PROTOCOL_VERSION, type Result } from '@mmm-ts/protocol';
import { parsePeerStatusReply, PEER_STATUS } from './wire.js';

export interface PeerAnswer {
  readonly host: string;
  readonly sinceMonitorMs: number | null;
  readonly state: string;
  /** The peer's CHECK_HOST denial of this writer is in force; null: an older peer (no denials). */
  readonly deniesAsker: boolean | null;
}

export interface PeerRound {
  readonly answers: readonly PeerAnswer[];
  /** Peers that did not answer usably, with why. */
  readonly unreachable: readonly { readonly host: string; readonly why: string }[];
}

export interface FailsafeVerdict {
  readonly hold: boolean;
  /** One sentence, for `agent.fenced` / `agent.failsafe_holding`. */
  readonly reason: string;
  /** Agents reached, this one included. */
  readonly reached: number;
  readonly needed: number;
}

/** Strict majority of n agents. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** Whether an agent's last monitor contact counts as "the monitor is silent". */
function silent(sinceMs: number | null, silenceMs: number): boolean {
  return sinceMs === null || sinceMs >= silenceMs;
}

/** Whether a peer's answer supports the writer: no denial in force (an older peer: a silent monitor). */
function supports(a: PeerAnswer, silenceMs: number): boolean {
  return a.deniesAsker === null ? silent(a.sinceMonitorMs, silenceMs) : !a.deniesAsker;
}

/** Decides the failsafe from one round of PEER_STATUS answers (pure). */
export function judgeFailsafe(o: {
  readonly totalAgents: number;
  readonly selfSinceMonitorMs: number | null;
  readonly round: PeerRound;
  readonly silenceMs: number;
}): FailsafeVerdict {
  const needed = majority(o.totalAgents);
  const backers = o.round.answers.filter((a) => supports(a, o.silenceMs));
  const reached = backers.length + 1;
  if (!silent(o.selfSinceMonitorMs, o.silenceMs)) {
    return { hold: false, reached, needed, reason: `the monitor talked to this agent ${o.selfSinceMonitorMs ?? '?'} ms ago but did not renew the lease` };
  }
  if (reached >= needed) {
    return { hold: true, reached, needed, reason: `${reached} of ${o.totalAgents} agents support this writer (${backers.map((a) => a.host).join(', ') || 'itself only'}); none says it cannot reach it` };
  }
  const against = [
    ...o.round.answers.filter((a) => !supports(a, o.silenceMs)).map((a) => (a.deniesAsker === true ? `${a.host} told the monitor it cannot reach this writer` : `${a.host} heard from the monitor ${a.sinceMonitorMs ?? '?'} ms ago`)),
    ...o.round.unreachable.map((u) => `${u.host} unreachable (${u.why})`),
  ];
  return { hold: false, reached, needed, reason: `only ${reached} of ${o.totalAgents} agents support this writer, ${needed} needed${against.length === 0 ? '' : `: ${against.join(', ')}`}` };
}

/** Sends one request line to a peer agent; the transport's failure is a sentence. */
export type PeerSend = (host: string, line: string) => Promise<Result<string, { readonly code: string; readonly message: string }>>;

/** Asks every peer PEER_STATUS concurrently (each bounded by `send`'s own timeouts). */
export async function askPeers(self: string, peers: readonly string[], send: PeerSend): Promise<PeerRound> {
  type Outcome = { readonly host: string; readonly why: string } | (PeerAnswer & { readonly why?: undefined });
  const results = await Promise.all(peers.map(async (host): Promise<Outcome> => {
    const line = encodeRequest({ kind: 'EXTENSION', command: PEER_STATUS, version: PROTOCOL_VERSION, host, params: [self] });
    const r = await send(host, line);
    if (!r.ok) return { host, why: `${r.error.code}: ${r.error.message}` };
    const d = decodeReply(r.value);
    if (!d.ok) return { host, why: d.error.message };
    const p = parsePeerStatusReply(d.value.payload);
    if (!p.ok) return { host, why: p.error };
    return { host, ...p.value };
  }));
  const answers: PeerAnswer[] = [];
  const unreachable: { host: string; why: string }[] = [];
  for (const r of results) {
    if (r.why === undefined) answers.push({ host: r.host, sinceMonitorMs: r.sinceMonitorMs, state: r.state, deniesAsker: r.deniesAsker });
    else unreachable.push({ host: r.host, why: r.why });
  }
  return { answers, unreachable };
}
