// The rig's network: a bridge in the root namespace, one namespace per host (and one for the client)
// joined to it by a veth pair, IPv6 off, no default route. Built with two `ip -batch` runs plus one
// small batch per namespace, so 3 hosts take a few tens of milliseconds.
import { writeFile } from 'node:fs/promises';
import { run, runOk } from './proc.js';
import type { RigPlan } from './topology.js';

interface Endpoint {
  readonly ns: string;
  readonly veth: string;
  readonly ip: string;
}

const endpoints = (plan: RigPlan): Endpoint[] => [
  ...plan.hosts.map((h) => ({ ns: h.ns, veth: h.veth, ip: h.ip })),
  { ns: plan.clientNs, veth: plan.clientVeth, ip: plan.clientIp },
];

/** Creates bridge, namespaces and veths for the plan (expects none of them to exist: sweep first). */
export async function buildNetwork(plan: RigPlan): Promise<void> {
  const eps = endpoints(plan);
  // IPv6 off inside each namespace before its eth0 exists, so eth0 never gets a link-local address.
  const a = [
    ...eps.map((e) => `netns add ${e.ns}`),
    ...eps.map((e) => `netns exec ${e.ns} sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1`),
    `link add ${plan.bridge} type bridge forward_delay 0`,
    ...eps.map((e) => `link add ${e.veth} type veth peer name eth0 netns ${e.ns}`),
  ];
  await runOk(['ip', '-batch', '-'], { input: a.join('\n') + '\n' });
  // Root-namespace ends: only per-interface switches, the machine's own defaults stay untouched.
  await Promise.all(
    [plan.bridge, ...eps.map((e) => e.veth)].map((ifname) => writeFile(`/proc/sys/net/ipv6/conf/${ifname}/disable_ipv6`, '1')),
  );
  const b = [
    `addr add ${plan.bridgeIp}/24 dev ${plan.bridge}`,
    `link set ${plan.bridge} up`,
    ...eps.map((e) => `link set ${e.veth} master ${plan.bridge} up`),
  ];
  const inside = (e: Endpoint): string => ['link set lo up', `addr add ${e.ip}/24 dev eth0`, 'link set eth0 up'].join('\n') + '\n';
  await Promise.all([
    runOk(['ip', '-batch', '-'], { input: b.join('\n') + '\n' }),
    ...eps.map((e) => runOk(['ip', '-n', e.ns, '-batch', '-'], { input: inside(e) })),
  ]);
}

/** Sets a namespace's eth0 down or up. */
export async function setLink(ns: string, up: boolean): Promise<void> {
  await runOk(['ip', '-n', ns, 'link', 'set', 'eth0', up ? 'up' : 'down']);
}

/** Adds ip/24 to eth0 in ns; `replace` makes it idempotent. */
export async function addAddress(ns: string, ip: string): Promise<void> {
  await runOk(['ip', '-n', ns, 'addr', 'replace', `${ip}/24`, 'dev', 'eth0']);
}

/** Removes ip from eth0 in ns; absent is fine. */
export async function delAddress(ns: string, ip: string): Promise<void> {
  if (await hasAddress(ns, ip)) await runOk(['ip', '-n', ns, 'addr', 'del', `${ip}/24`, 'dev', 'eth0']);
}

interface IpAddrJson {
  readonly address?: string;
  readonly addr_info?: readonly { readonly local?: string }[];
}

/** True when eth0 in ns holds ip. */
export async function hasAddress(ns: string, ip: string): Promise<boolean> {
  const out = await runOk(['ip', '-n', ns, '-j', 'addr', 'show', 'dev', 'eth0']);
  const links = JSON.parse(out) as IpAddrJson[];
  return links.some((l) => (l.addr_info ?? []).some((a) => a.local === ip));
}

/** MAC address of eth0 in ns. */
export async function macOf(ns: string): Promise<string> {
  const out = await runOk(['ip', '-n', ns, '-j', 'link', 'show', 'dev', 'eth0']);
  const links = JSON.parse(out) as IpAddrJson[];
  return links[0]?.address ?? '';
}

/** Fires one gratuitous ARP for ip from eth0 in ns; arping takes ~1 s to exit, so it is not awaited. */
export function announce(ns: string, ip: string): void {
  void run(['ip', 'netns', 'exec', ns, 'arping', '-U', '-c', '1', '-I', 'eth0', ip], { timeoutMs: 5000 });
}
