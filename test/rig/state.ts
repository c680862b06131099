// rig.json: how a rig describes itself to other processes (the CLI's `down`/`status`, attachRig), so a
// rig brought up by one command can be used and torn down by another.
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RigPlan } from './topology.js';

/** The file's content (version 1). */
export interface RigState {
  readonly version: 1;
  readonly prefix: string;
  readonly subnet: number;
  readonly baseDir: string;
  readonly hostCount: number;
  readonly createdAt: string;
  readonly ownerPid: number;
  readonly bridge: string;
  readonly bridgeIp: string;
  readonly clientNs: string;
  readonly clientIp: string;
  readonly writerVip: string;
  readonly readerVips: readonly string[];
  readonly hosts: readonly {
    readonly name: string;
    readonly ip: string;
    readonly ns: string;
    readonly mode: 'master' | 'slave';
    readonly peer: string | null;
    readonly serverId: number;
    readonly socket: string;
    readonly datadir: string;
    readonly pid: number | null;
  }[];
}

/** Builds the state record for a plan and the current PIDs. */
export function stateOf(plan: RigPlan, pidOf: (host: string) => number | null, createdAt: string): RigState {
  return {
    version: 1,
    prefix: plan.prefix,
    subnet: plan.subnet,
    baseDir: plan.baseDir,
    hostCount: plan.hosts.length,
    createdAt,
    ownerPid: process.pid,
    bridge: plan.bridge,
    bridgeIp: plan.bridgeIp,
    clientNs: plan.clientNs,
    clientIp: plan.clientIp,
    writerVip: plan.writerVip,
    readerVips: plan.readerVips,
    hosts: plan.hosts.map((h) => ({
      name: h.name, ip: h.ip, ns: h.ns, mode: h.mode, peer: h.peer, serverId: h.serverId,
      socket: h.socket, datadir: h.datadir, pid: pidOf(h.name),
    })),
  };
}

/** Writes rig.json atomically (temp file + rename). */
export async function writeState(plan: RigPlan, state: RigState): Promise<void> {
  const tmp = join(plan.baseDir, `.rig.json.${process.pid}`);
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n');
  await rename(tmp, plan.stateFile);
}

/** Reads a rig.json; null when absent or unreadable. */
export function readState(file: string): RigState | null {
  if (!existsSync(file)) return null;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as RigState;
    return s.version === 1 ? s : null;
  } catch {
    return null;
  }
}
