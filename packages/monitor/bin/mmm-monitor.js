#!/usr/bin/env node
// Thin launcher: the program lives in dist/src/cli/monitor.js (built by `npm run build`).
import { main } from '../dist/src/cli/monitor.js';
main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(`mmm-monitor: internal error: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 1; },
);
