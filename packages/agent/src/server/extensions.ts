// The split-brain extensions on the agent (docs/protocol.md "Extensions"): RENEW_LEASE,
// PEER_STATUS, CHECK_HOST and GET_FENCE_STATUS, every field checked against the config.
import { errorReply, invalidCommandReply, type ExtensionRequest, type HostState } from '@mmm-ts/protocol';
import { agentEndpoint, type AgentRuntime } from './runtime.js';
import { checkHost } from '../safety/check-host.js';
import { readReplicaStatus } from '../actions/replica.js';
import { systemClock } from '../clock.js';
import type { WriterGuard } from '../safety/writer-guard.js';
import {
  CHECK_HOST, checkHostReply, fenceStatusReply, GET_FENCE_STATUS, leaseRenewedReply, parseDenyMs, parseLeaseMs, PEER_STATUS,
  peerStatusReply, RENEW_LEASE,
} from '../safety/wire.js';

export interface ExtensionContext {
  readonly rt: AgentRuntime;
  readonly guard: WriterGuard;
  readonly state: () => HostState;
}

/** Why `name` is not another configured host, or null. */
function otherHostProblem(ctx: ExtensionContext, name: string | undefined, what: string): string | null {
  if (name === undefined) return `${what} missing`;
  if (ctx.rt.cfg.hosts[name] === undefined) return `Invalid ${what} '${name}'!`;
  if (name === ctx.rt.host.name) return `Invalid ${what} '${name}' (this host)!`;
  return null;
}

/** Answers one decoded extension request (the host field is already checked). */
export async function handleExtension(ctx: ExtensionContext, req: ExtensionRequest): Promise<string> {
  switch (req.command) {
    case RENEW_LEASE: {
      const ms = parseLeaseMs(req.params);
      if (!ms.ok) return ms.error;
      ctx.guard.noteMonitorContact();
      ctx.guard.renew(ms.value);
      return leaseRenewedReply(ms.value);
    }
    case PEER_STATUS: {
      const p = otherHostProblem(ctx, req.params[0], 'asker');
      if (p !== null) return errorReply(p);
      // In MMM v1 compatible mode the monitor may not send denials: answer as an older agent (3 fields).
      const asker = req.params[0] ?? '';
      return peerStatusReply({ sinceMonitorMs: ctx.guard.sinceMonitorMs(), state: ctx.state(), deniesAsker: ctx.rt.cfg.security.mmmV1Compat ? null : ctx.guard.denies(asker) });
    }
    case CHECK_HOST: {
      const target = req.params[0];
      const p = otherHostProblem(ctx, target, 'target host');
      const t = target === undefined ? undefined : ctx.rt.cfg.hosts[target];
      const endpoint = target === undefined ? null : agentEndpoint(ctx.rt.cfg, target);
      if (p !== null || t === undefined || endpoint === null) return errorReply(p ?? 'target host missing');
      const denyMs = parseDenyMs(req.params[1]);
      if (!denyMs.ok) return denyMs.error;
      const c = await checkHost({
        endpoint, targetAliases: [t.ip, t.name], connect: ctx.rt.connect,
        readOwnReplica: async () => {
          const db = await ctx.rt.openLocal();
          if (!db.ok) return db;
          try {
            return await readReplicaStatus({ ...db.value, clock: systemClock, logger: ctx.rt.logger, queryTimeoutMs: 800 });
          } finally {
            await db.value.sql.close();
          }
        },
      });
      // Recorded before the reply leaves: once the monitor reads "not ok", this agent no longer backs the target.
      if (c.mysql !== 'ok' && denyMs.value !== null) ctx.guard.noteDenial(t.name, denyMs.value);
      return checkHostReply(c);
    }
    case GET_FENCE_STATUS:
      return fenceStatusReply(ctx.guard.fenceStatus());
    default:
      return invalidCommandReply(req.command);
  }
}
