// Public surface of the monitor's pure decision core; the shell (checks, agent client, control
// listener) imports from here only.
export * from './types.js';
export * from './config.js';
export { decide } from './decide.js';
export { nextHostState, type TransitionInputs, type Transition } from './state-table.js';
export { rolesOf, roleWeight, findEligibleHost, placeRoles } from './roles.js';
export { writerCandidateWhyNot, chooseWriterCandidate, detectWriterProblem } from './failover.js';
export { initialState, newHostRecord, emptyAssignments } from './draft.js';
export { startup, voteWriter, type AgentStatus, type SystemStatus, type WriterVote } from './startup.js';
export { formatStatusFile, parseStatusFile, type StoredStatus, type StoredHost, type StatusFileError } from './status-file.js';
export { formatShow } from './show.js';
