// The version printed by --version and logged at start: read from this package's package.json.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../../package.json') as { version: string };

export const AGENT_VERSION: string = pkg.version;
