// The `|UP:` field of every agent reply: the host's uptime, which the monitor uses to notice a reboot.
import { readFile } from 'node:fs/promises';
import os from 'node:os';

/** Seconds since boot from /proc/uptime (as MMM reads it); falls back to os.uptime() if unreadable. */
export async function readUptimeSeconds(): Promise<number> {
  try {
    const text = await readFile('/proc/uptime', 'utf8');
    const first = Number(text.split(' ')[0]);
    if (Number.isFinite(first) && first >= 0) return first;
  } catch {
    // Not Linux, or /proc not mounted: the kernel's figure via os is the same number, less precise.
  }
  return os.uptime();
}
