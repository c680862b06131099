// `mmm-control import-mmm FILE…`: MMM 2.2's config files in, MMM-TS's YAML config out.
import { err, ok, type Result } from '@mmm-ts/protocol';
import { readMmmFiles, type ReadFile } from './parse-mmm.js';
import { convertMmm } from './convert.js';
import type { ImportProblem } from './problem.js';

export { formatImportProblem, IMPORT_PROBLEM_CODES } from './problem.js';
export type { ImportProblem, ImportProblemCode } from './problem.js';

/**
 * Reads MMM config files (following `include`) and returns the equivalent YAML with unsupported keys
 * as comments, plus warnings (`file:line: …`) for the user; or every problem found, each at file:line.
 */
export function importMmm(files: string[], opts: { readFile?: ReadFile } = {}): Result<{ yaml: string; warnings: string[] }, ImportProblem[]> {
  const { tree, problems } = readMmmFiles(files, opts.readFile);
  const converted = convertMmm(tree, files);
  const all = [...problems, ...converted.problems];
  if (all.length > 0) return err(all);
  return ok({ yaml: converted.yaml, warnings: converted.warnings });
}
