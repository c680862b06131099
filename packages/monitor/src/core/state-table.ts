// MMM's host state table as one pure function, so every row can be tested on its own. 'unknown'
// check results never fire a transition: a row fires only when all the checks it reads are known.
import type { CheckResult, HostState } from './types.js';

export interface TransitionInputs {
  readonly ping: CheckResult;
  readonly mysql: CheckResult;
  readonly repThreads: CheckResult;
  readonly repBacklog: CheckResult;
  /** The peer (the configured peer, or the active master for a slave) is ONLINE with ping and mysql OK. */
  readonly peerOk: boolean;
  readonly peerOnline: boolean;
  /** Replication checks ignored: the host is the active master, or its peer came ONLINE recently. */
  readonly replicationExempt: boolean;
  /** There is an active master, or this host cannot hold the writer role (HARD_OFFLINE rows). */
  readonly replicationMatters: boolean;
  readonly flapping: boolean;
  /** AWAITING_RECOVERY: down shorter than fastRecoveryMs without a reboot. */
  readonly shortOutage: boolean;
  /** AWAITING_RECOVERY: auto_set_online elapsed (always false when auto_set_online is 0). */
  readonly autoSetOnlineDue: boolean;
  /** AWAITING_RECOVERY of a flapping host: auto_set_online on and flap_duration passed quietly. */
  readonly flapAutoOnlineDue: boolean;
}

export interface Transition {
  readonly to: HostState;
  readonly reason: string;
}

const word = (c: CheckResult): string => (c === 'ok' ? 'OK' : 'not OK');

/** The next state of one host, or null when the table says stay. */
export function nextHostState(state: HostState, i: TransitionInputs): Transition | null {
  const down = i.ping === 'fail' || i.mysql === 'fail';
  const up = i.ping === 'ok' && i.mysql === 'ok';
  const downReason = `ping: ${word(i.ping)}, mysql: ${word(i.mysql)}`;
  switch (state) {
    case 'ONLINE':
      if (down) return { to: 'HARD_OFFLINE', reason: downReason };
      if (!up || i.replicationExempt || !i.peerOk) return null;
      if (i.repThreads === 'fail') return { to: 'REPLICATION_FAIL', reason: 'replication threads not running' };
      if (i.repThreads === 'ok' && i.repBacklog === 'fail') {
        return { to: 'REPLICATION_DELAY', reason: 'replication backlog too big' };
      }
      return null;
    case 'AWAITING_RECOVERY': {
      if (down) return { to: 'HARD_OFFLINE', reason: downReason };
      const allOk = up && i.repThreads === 'ok' && i.repBacklog === 'ok';
      if (!allOk) return null;
      if (i.flapping) {
        return i.flapAutoOnlineDue
          ? { to: 'ONLINE', reason: 'flapping host quiet for flap_duration (auto_set_online)' }
          : null;
      }
      if (i.shortOutage) return { to: 'ONLINE', reason: 'down only briefly, no reboot' };
      if (i.autoSetOnlineDue) return { to: 'ONLINE', reason: 'auto_set_online' };
      return null;
    }
    case 'HARD_OFFLINE':
      if (!up) return null;
      if (i.replicationMatters) {
        if (i.repThreads === 'fail') return { to: 'REPLICATION_FAIL', reason: 'back, replication threads not running' };
        if (i.repThreads === 'unknown') return null;
        if (i.repBacklog === 'fail') return { to: 'REPLICATION_DELAY', reason: 'back, replication backlog too big' };
        if (i.repBacklog === 'unknown') return null;
      }
      return { to: 'AWAITING_RECOVERY', reason: 'ping and mysql OK again' };
    case 'REPLICATION_FAIL':
    case 'REPLICATION_DELAY': {
      if (up && i.repThreads === 'ok' && i.repBacklog === 'fail' && state === 'REPLICATION_FAIL') {
        return { to: 'REPLICATION_DELAY', reason: 'replication threads running, backlog too big' };
      }
      if (up && i.repThreads === 'fail' && state === 'REPLICATION_DELAY') {
        return { to: 'REPLICATION_FAIL', reason: 'replication threads not running' };
      }
      const replicationOk = i.repThreads === 'ok' && i.repBacklog === 'ok';
      if (up && (replicationOk || !i.peerOnline)) {
        const why = replicationOk ? 'replication OK' : 'peer not ONLINE';
        return i.flapping
          ? { to: 'AWAITING_RECOVERY', reason: `${why}, but the host is flapping` }
          : { to: 'ONLINE', reason: why };
      }
      if (down) return { to: 'HARD_OFFLINE', reason: downReason };
      return null;
    }
    case 'ADMIN_OFFLINE':
    case 'UNKNOWN':
      return null;
  }
}
