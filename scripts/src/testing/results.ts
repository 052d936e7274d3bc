import path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', '..', '.cache', 'jest');

/** What the global setup found missing: one line per service, for the closing lines of `npm test`. */
export const NOT_RUN_FILE = path.join(DIR, 'not-run.json');
/** Jest's own results (`--json --outputFile`), read for the closing line. */
export const RESULTS_FILE = path.join(DIR, 'results.json');

export interface JestCounts {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
  numTotalTests: number;
  numTotalTestSuites: number;
}

/** The plain closing line CI reads: tests passed, failed and skipped (a suite that could not run counts as a failure). */
export function closingLine(counts: JestCounts | undefined): string {
  if (!counts) return '0 passed, 1 failed, 0 skipped';
  const failed = counts.numFailedTests + counts.numRuntimeErrorTestSuites;
  return `${counts.numPassedTests} passed, ${failed} failed, ${counts.numPendingTests + counts.numTodoTests} skipped`;
}
