// The agent's request handler: MMM's five commands with MMM's replies, every field validated against
// the config, mutating requests serialized, and `ERROR: <step>: <why>` when an action failed (MMM
// always said OK, so its monitor promoted even when a demotion had failed).
import {
  agentStatusReply, decodeRequest, encodeReply, errorReply, formatRole, hostMismatchReply, isHostState,
  removedRolesReply, REPLY_PINGED, REPLY_STATUS_APPLIED, sortRoles, systemStatusReply,
  type HostState, type Logger, type Role, type SetStatusRequest,
} from '@mmm-ts/protocol';
import { discoverSystemStatus } from '../discovery.js';
import { reassertRoles } from '../reassert.js';
import { readReadOnly } from '../actions/read-only.js';
import { mysqlDenyWrite } from '../actions/deny-write.js';
import { setActiveMaster } from '../actions/set-active-master.js';
import { turnOffSlave, turnOnSlave } from '../actions/replication-threads.js';
import { addRole, agentManagesIp, removeRole } from './role-actions.js';
import type { AgentRuntime } from './runtime.js';
import { SerialQueue } from './serial.js';
import { masterProblem, roleProblem, rolesForIp } from './validate.js';
import { handleExtension } from './extensions.js';
import { createWriterGuard, type SafetyDeps } from './safety-wiring.js';
import type { WriterGuard } from '../safety/writer-guard.js';
import { SAFETY_EXTENSIONS } from '../safety/wire.js';

/** What the agent remembers: MMM's state, roles and active master (GET_AGENT_STATUS). */
export interface AgentMemory {
  readonly state: HostState;
  readonly roles: readonly Role[];
  readonly master: string;
}

const key = formatRole;

export class Agent {
  private state: HostState = 'UNKNOWN';
  private roles: Role[] = [];
  /** A demotion of this host failed: read_only is not known to be on although it holds no writer role. */
  private denyPending = false;
  private enforceError: string | null = null;
  private lastEnforceAt = -Infinity;
  private master = '';
  private readonly queue = new SerialQueue();
  private readonly log: Logger;
  /** Writer lease, failsafe and self-fencing (docs/fencing.md). */
  readonly guard: WriterGuard;

  constructor(private readonly rt: AgentRuntime, private readonly uptime: () => Promise<number>, safety: SafetyDeps = {}) {
    this.log = rt.logger.child({ component: 'agent' });
    this.guard = createWriterGuard(rt, {
      holdsWriter: () => this.holdsWriter(),
      serial: (fn) => this.queue.run(fn),
      dropWriter: () => this.dropWriter(),
    }, safety);
  }

  /** One writer-lease check; the CLI calls it every LEASE_TICK_MS. */
  leaseTick(): Promise<void> {
    return this.guard.tick();
  }

  private holdsWriter(): boolean {
    return this.roles.some((r) => r.name === this.rt.cfg.activeMasterRole);
  }

  private dropWriter(): string[] {
    // With master_ip_failover_script the script owns the writer address: fencing sets read_only only.
    const ips = this.roles.filter((r) => r.name === this.rt.cfg.activeMasterRole && agentManagesIp(this.rt, r)).map((r) => r.ip);
    this.roles = this.roles.filter((r) => r.name !== this.rt.cfg.activeMasterRole);
    return ips;
  }

  get name(): string {
    return this.rt.host.name;
  }

  memory(): AgentMemory {
    return { state: this.state, roles: [...this.roles], master: this.master };
  }

  /**
   * Start-up: adopt the role IPs already on the interface as held roles, so that the monitor's first
   * SET_STATUS removes those this host was not given (MMM forgot them and left duplicates).
   */
  async adoptExistingRoles(): Promise<Role[]> {
    const ips = await this.rt.ipOps.list(this.rt.host.interface);
    if (!ips.ok) {
      this.log.warn({ event: 'agent.discovery_failed', err: ips.error.message }, 'cannot list addresses on the interface');
      return [];
    }
    const found = ips.value.flatMap((ip) => rolesForIp(this.rt.cfg, this.name, ip));
    // One IP may belong to several roles only in a broken config; keep the first per IP.
    const byIp = new Map<string, Role>();
    for (const r of found) if (!byIp.has(r.ip)) byIp.set(r.ip, r);
    this.roles = sortRoles([...byIp.values()]);
    if (this.roles.length > 0) {
      this.log.info({ event: 'agent.roles_adopted', roles: this.roles.map(key) }, 'adopted role IPs found on the interface');
    }
    if (this.holdsWriter()) this.guard.writerAdopted();
    return [...this.roles];
  }

  /** Periodic re-assertion of held roles (address present, writer writable, ARP refreshed), queued like a request. */
  reassert(): Promise<void> {
    return this.queue.run(async () => {
      // A host the monitor has told it is not the writer must not accept writes (a failed demotion,
      // a host that was writable at the monitor's first start, an operator's slip).
      if (this.state !== 'UNKNOWN' && !this.holdsWriter()) {
        const e = await this.enforceReadOnly('periodic check');
        if (e !== null) this.log.warn({ event: 'agent.reassert_failed', err: e }, 'could not make this non-writer read-only');
      }
      if (this.roles.length === 0 || this.state !== 'ONLINE') return;
      // A writer whose lease ran out is about to fence itself: do not make it writable again.
      if (this.guard.inDoubt()) return;
      const rep = await reassertRoles({
        heldRoles: this.roles, ipManaged: (r) => agentManagesIp(this.rt, r), writerRole: this.rt.cfg.activeMasterRole, iface: this.rt.host.interface,
        ipOps: this.rt.ipOps, openLocal: () => this.rt.openLocal(), logger: this.log,
      });
      for (const e of rep.errors) this.log.warn({ event: 'agent.reassert_failed', code: e.code, err: e.message }, 'could not re-assert a held role');
    });
  }

  /** Queues one retry of a failed demotion (after the current request), no more than once a second. */
  private scheduleEnforce(): void {
    const now = performance.now();
    if (now - this.lastEnforceAt < 1_000) return;
    this.lastEnforceAt = now;
    void this.queue.run(async () => {
      if (!this.denyPending || this.holdsWriter()) return;
      this.enforceError = await this.enforceReadOnly('earlier demotion failed');
    });
  }

  /** Reads read_only and, when this host accepts writes without holding the writer role, denies them. */
  private async enforceReadOnly(reason: string): Promise<string | null> {
    const ro = await this.rt.db.run(readReadOnly);
    // A server this agent cannot reach (dead, hung) accepts no writes either; the demotion stays
    // pending and is retried when it answers again. Only a server known to be writable is an error.
    if (!ro.ok) return null;
    if (ro.value.readOnly) {
      this.denyPending = false;
      return null;
    }
    const d = await this.rt.db.run((env) => mysqlDenyWrite(env, this.rt.denyWriteOptions));
    if (!d.ok) {
      this.denyPending = true;
      return `mysql_deny_write (${reason}): ${d.error.message}`;
    }
    this.denyPending = false;
    this.log.warn({ event: 'agent.drift_repaired', drift: 'writable_without_writer_role', reason }, 'this host accepted writes without the writer role; read_only set');
    return null;
  }

  /** Handles one v1 request line; returns the v1 reply line (payload `|UP:` uptime). */
  async handle(line: string): Promise<string> {
    const payload = await this.payloadFor(line);
    return encodeReply(payload, await this.uptime());
  }

  private async payloadFor(line: string): Promise<string> {
    const d = decodeRequest(line, { extensions: SAFETY_EXTENSIONS });
    if (!d.ok) {
      // MMM checks the host name before the command, so a wrong host wins over a bad command.
      if (d.error.host !== undefined && d.error.host !== this.name) return hostMismatchReply(d.error.host, this.name);
      this.log.warn({ event: 'agent.bad_request', code: d.error.code, detail: d.error.message }, 'refused a malformed request');
      return d.error.reply;
    }
    const req = d.value;
    if (req.host !== this.name) return hostMismatchReply(req.host, this.name);
    if (req.version !== '1') this.log.warn({ event: 'agent.protocol_version', version: req.version }, 'request with a protocol version other than 1');
    switch (req.kind) {
      case 'PING':
        return REPLY_PINGED;
      case 'GET_AGENT_STATUS':
        return agentStatusReply({ state: this.state, roles: this.roles, master: this.master });
      case 'GET_SYSTEM_STATUS':
        return this.systemStatus();
      case 'SET_STATUS':
        this.guard.noteMonitorContact();
        return this.queue.run(async () => {
          const reply = await this.setStatus(req);
          this.guard.afterSetStatus(req.roles.some((r) => r.name === this.rt.cfg.activeMasterRole), this.holdsWriter());
          return reply;
        });
      case 'CLEAR_BAD_ROLES':
        return this.queue.run(() => this.clearBadRoles());
      case 'EXTENSION':
        return handleExtension({ rt: this.rt, guard: this.guard, state: () => this.state }, req);
    }
  }

  /** GET_SYSTEM_STATUS: what is really on the host; answers with what it can tell while MySQL is down. */
  private async systemStatus(): Promise<string> {
    const configuredRoles = this.rt.cfg.roleNames.flatMap((name) => (this.rt.cfg.roles[name]?.ips ?? []).map((ip) => ({ name, ip })));
    const s = await discoverSystemStatus({
      openLocal: () => this.rt.openLocal(),
      ipOps: this.rt.ipOps,
      iface: this.rt.host.interface,
      configuredRoles,
      logger: this.log,
    });
    return systemStatusReply({ writable: s.writable === true, roles: s.roleIpsOnInterface, masterIp: s.replicationSource });
  }

  private async setStatus(req: SetStatusRequest): Promise<string> {
    const problems = [
      ...(isHostState(req.state) ? [] : [`unknown state '${req.state}'`]),
      ...req.roles.map((r) => roleProblem(this.rt.cfg, this.name, r)).filter((p): p is string => p !== null),
    ];
    const mp = masterProblem(this.rt.cfg, req.master);
    if (mp !== null) problems.push(mp);
    if (problems.length > 0) {
      this.log.warn({ event: 'agent.set_status_refused', problems }, 'refused SET_STATUS');
      return errorReply(problems.join('; '));
    }
    const failures: string[] = [];

    // 1. Replicas follow the active master (only when ONLINE, as MMM), remembered only on success.
    if (this.rt.host.mode === 'slave' && req.state === 'ONLINE' && req.master !== '' && req.master !== this.master) {
      const opts = this.rt.setActiveMasterOptions(req.master);
      const r = opts === null ? null : await this.rt.db.run((env) => setActiveMaster(env, opts));
      if (r?.ok === true) {
        this.log.info({ event: 'agent.active_master_changed', from: this.master, to: req.master }, 'replication repointed');
        this.master = req.master;
      } else {
        failures.push(`set_active_master ${req.master}: ${r === null ? 'unknown host' : r.ok ? '' : r.error.message}`);
      }
    }

    // 2. Role diff: every removal before any addition (the writer IP is never on two hosts through us).
    const wanted = sortRoles(req.roles);
    const wantedKeys = new Set(wanted.map(key));
    const heldKeys = new Set(this.roles.map(key));
    const removed = this.roles.filter((r) => !wantedKeys.has(key(r)));
    const added = wanted.filter((r) => !heldKeys.has(key(r)));
    if (removed.length > 0 || added.length > 0) {
      this.log.info({ event: 'agent.roles_changing', deleted: removed.map(key), added: added.map(key) }, 'We have some new roles added or old rules deleted!');
    }
    let held = [...this.roles];
    for (const r of removed) {
      const res = await removeRole(this.rt, r);
      if (res.error !== null) failures.push(res.error);
      if (res.denyFailed) this.denyPending = true;
      if (!res.held) held = held.filter((h) => key(h) !== key(r));
    }
    for (const r of added) {
      const res = await addRole(this.rt, r);
      if (res.error !== null) failures.push(res.error);
      if (res.held) held.push(r);
    }
    this.roles = sortRoles(held);
    // A demotion that failed (a hung or dead server) is retried on every SET_STATUS until read_only
    // is verified: dropping the role must never leave a writable host behind (found by the SIGSTOP
    // scenario: the server came back writable after SIGCONT).
    // The retry runs after this reply (queued behind it, at most once a second) so that a hung
    // server does not delay every later message; a retry that found the server writable and could
    // not demote it is reported by the next SET_STATUS.
    if (this.denyPending && !this.holdsWriter() && removed.length === 0) {
      if (this.enforceError !== null) failures.push(this.enforceError);
      this.scheduleEnforce();
    }

    // 3. State change: ADMIN_OFFLINE stops replication, leaving it starts it again.
    const previous = this.state;
    this.state = req.state;
    if (req.state === 'ADMIN_OFFLINE' && previous !== 'ADMIN_OFFLINE') {
      const r = await this.rt.db.run(turnOffSlave);
      if (!r.ok && r.error.code !== 'AGENT_NOT_A_REPLICA') failures.push(`turn_off_slave: ${r.error.message}`);
    } else if (previous === 'ADMIN_OFFLINE' && req.state !== 'ADMIN_OFFLINE') {
      const r = await this.rt.db.run(turnOnSlave);
      if (!r.ok && r.error.code !== 'AGENT_NOT_A_REPLICA') failures.push(`turn_on_slave: ${r.error.message}`);
    }
    if (previous !== req.state) this.log.info({ event: 'agent.state_changed', from: previous, to: req.state }, `state ${previous} -> ${req.state}`);

    if (failures.length > 0) {
      this.log.error({ event: 'agent.set_status_failed', failures }, 'SET_STATUS applied with failures');
      return errorReply(failures.join('; '));
    }
    return REPLY_STATUS_APPLIED;
  }

  /** CLEAR_BAD_ROLES: remove every configured role IP on the interface that this agent does not hold. */
  private async clearBadRoles(): Promise<string> {
    const ips = await this.rt.ipOps.list(this.rt.host.interface);
    if (!ips.ok) return errorReply(`cannot list addresses on ${this.rt.host.interface}: ${ips.error.message}`);
    const heldIps = new Set(this.roles.map((r) => r.ip));
    let count = 0;
    const failures: string[] = [];
    for (const name of this.rt.cfg.roleNames) {
      for (const ip of this.rt.cfg.roles[name]?.ips ?? []) {
        if (!ips.value.includes(ip) || heldIps.has(ip)) continue;
        const res = await removeRole(this.rt, { name, ip });
        if (res.error !== null) failures.push(res.error);
        else count++;
      }
    }
    if (failures.length > 0) return errorReply(failures.join('; '));
    return removedRolesReply(count);
  }
}
