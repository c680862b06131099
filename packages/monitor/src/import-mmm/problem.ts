// What can be wrong with MMM config files being imported; codes are listed in docs/errors.md (Import).

export const IMPORT_PROBLEM_CODES = [
  'IMPORT_READ_FAILED',
  'IMPORT_SYNTAX',
  'IMPORT_UNKNOWN_SECTION',
  'IMPORT_UNKNOWN_KEY',
  'IMPORT_BAD_VALUE',
  'IMPORT_NO_HOSTS',
] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEM_CODES)[number];

/** One problem at a 1-based line of an MMM file (line 0: about the file as a whole). */
export interface ImportProblem {
  readonly file: string;
  readonly line: number;
  readonly code: ImportProblemCode;
  readonly message: string;
}

/** `file:line: message`, the form editors and the CLI print. */
export function formatImportProblem(p: ImportProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}
