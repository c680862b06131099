// A simulated mmm-agent for the monitor scale benchmark: the real authenticated line server of
// @mmm-ts/protocol with a handler that remembers state and roles and answers every command the
// monitor sends (MMM's five and the safety extensions) the way a healthy agent does, touching nothing.
import {
  agentStatusReply, decodeRequest, encodeReply, errorReply, hostMismatchReply, removedRolesReply,
  REPLY_PINGED, REPLY_RETURNING_STATUS, REPLY_STATUS_APPLIED, startLineServer, systemStatusReply,
  type HostState, type LineServer, type Role,
} from '@mmm-ts/protocol';

const EXTENSIONS = ['RENEW_LEASE', 'PEER_STATUS', 'CHECK_HOST', 'GET_FENCE_STATUS'];

export interface SimAgentOptions {
  readonly host: string;
  readonly ip: string;
  readonly port: number;
  readonly secret: string;
  /** What the agent remembers at start (GET_AGENT_STATUS) and what is "on the host" (GET_SYSTEM_STATUS). */
  readonly state: HostState;
  readonly roles: readonly Role[];
  readonly writable: boolean;
  readonly masterIp: string;
}

export interface SimAgent {
  readonly server: LineServer;
  /** Requests answered, by command name. */
  readonly counts: Map<string, number>;
}

/** Starts one simulated agent on ip:port. */
export async function startSimAgent(o: SimAgentOptions): Promise<SimAgent> {
  let state: HostState = o.state;
  let roles: Role[] = [...o.roles];
  let master = '';
  let lastContact: number | null = null;
  const counts = new Map<string, number>();
  const up = (): number => process.uptime() + 1000;
  const reply = (payload: string): string => encodeReply(payload, up());

  const handler = (line: string): Promise<string> => {
    const d = decodeRequest(line, { extensions: EXTENSIONS });
    if (!d.ok) return Promise.resolve(reply(d.error.reply));
    const req = d.value;
    if (req.host !== o.host) return Promise.resolve(reply(hostMismatchReply(req.host, o.host)));
    const name = req.kind === 'EXTENSION' ? req.command : req.kind;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    switch (req.kind) {
      case 'PING': return Promise.resolve(reply(REPLY_PINGED));
      case 'SET_STATUS':
        state = req.state;
        roles = [...req.roles];
        master = req.master;
        lastContact = Date.now();
        return Promise.resolve(reply(REPLY_STATUS_APPLIED));
      case 'GET_AGENT_STATUS': return Promise.resolve(reply(agentStatusReply({ state, roles, master })));
      case 'GET_SYSTEM_STATUS':
        return Promise.resolve(reply(systemStatusReply({ writable: roles.some((r) => r.name === 'writer') || (o.writable && lastContact === null), roles, masterIp: o.masterIp })));
      case 'CLEAR_BAD_ROLES': return Promise.resolve(reply(removedRolesReply(0)));
      case 'EXTENSION':
        switch (req.command) {
          case 'RENEW_LEASE':
            lastContact = Date.now();
            return Promise.resolve(reply(`OK: Lease renewed|${req.params[0] ?? ''}`));
          case 'PEER_STATUS':
            return Promise.resolve(reply(`${REPLY_RETURNING_STATUS}|${lastContact === null ? '' : String(Date.now() - lastContact)}|${state}`));
          case 'CHECK_HOST':
            return Promise.resolve(reply(`${REPLY_RETURNING_STATUS}|ok|io_running|simulated: target answered`));
          case 'GET_FENCE_STATUS':
            return Promise.resolve(reply(`${REPLY_RETURNING_STATUS}||${roles.some((r) => r.name === 'writer') ? '3000' : ''}|`));
          default:
            return Promise.resolve(reply(errorReply(`Invalid command '${req.command}'!`)));
        }
    }
  };
  const server = await startLineServer({ host: o.ip, port: o.port, secret: o.secret, handler, maxConnections: 64 });
  return { server, counts };
}
