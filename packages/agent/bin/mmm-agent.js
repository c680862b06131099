#!/usr/bin/env node
// Thin launcher: the program lives in dist/src/cli/agent.js (built by `npm run build`).
import { main } from '../dist/src/cli/agent.js';
main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(`mmm-agent: internal error: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 1; },
);
