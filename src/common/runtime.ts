// What a run is given by the place it runs in: the action on a runner, or the CLI on a laptop or
// another CI system. main.ts and cli.ts each build one; attest, verify, publish and the summary
// attestations take it whole, so no mode reads process.env, the working directory or the clock
// behind its caller's back, and a test gives every mode the same fake world.

import type { Log } from './log.ts';

export interface Runtime {
  env: NodeJS.ProcessEnv;
  /** Where paths from inputs are resolved (GITHUB_WORKSPACE in the action, the working directory in the CLI). */
  workspace: string;
  /**
   * The runner's temp dir: where a run's own files go when no input names a place (bundles under
   * `provenance/`, the verify report). Undefined in the CLI: bundles go to the working directory
   * and the report to stdout.
   */
  temp: string | undefined;
  /** Directories besides the workspace that outputs may name (the runner's temp dir). */
  outputRoots: readonly string[];
  /** True in the action: every path stays inside the workspace (or outputRoots). The CLI goes where its user points. */
  confined: boolean;
  log: Log;
  now: () => Date;
}
