// The rig's own failures. The rig not working is a broken test environment, not an outcome a test
// handles, so these are thrown; each still carries a stable code so a failing test says what broke.

/** Stable codes of rig failures. */
export type RigErrorCode =
  | 'RIG_BAD_OPTIONS'
  | 'RIG_PREREQUISITES'
  | 'RIG_COMMAND_FAILED'
  | 'RIG_TEMPLATE_FAILED'
  | 'RIG_MYSQLD_START_FAILED'
  | 'RIG_MYSQLD_STOP_TIMEOUT'
  | 'RIG_REPLICATION_FAILED'
  | 'RIG_REPLICATION_TIMEOUT'
  | 'RIG_UNKNOWN_HOST'
  | 'RIG_NOT_FOUND'
  | 'RIG_DESTROYED';

/** A rig failure with a stable code. */
export class RigError extends Error {
  override readonly name = 'RigError';
  constructor(
    readonly code: RigErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
