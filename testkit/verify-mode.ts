// Verify mode driven in-process the way the action drives it: action inputs in, the report out.
// For tests that make many verifications (a process per run would cost seconds each).

import { verifySettings } from '../src/verify/settings.ts';
import { policyFromInputs } from '../src/verify/policy/index.ts';
import type { VerifyReport } from '../src/verify/report/report.ts';
import { verify, workspaceFileReader, type VerifyOptions } from '../src/verify/verify.ts';
import type { Log } from '../src/common/log.ts';

/** `options`: a log to read warnings from, or other TUF repositories for the named trusted roots. */
export async function verifyWithInputs(
  workspace: string,
  inputs: Readonly<Record<string, string>>,
  options: VerifyOptions & { log?: Log } = {},
): Promise<VerifyReport> {
  const get = (name: string): string => inputs[name] ?? '';
  const { log, ...verifyOptions } = options;
  const { report } = await verify(
    verifySettings(get),
    policyFromInputs(get, workspaceFileReader(workspace)),
    {
      env: {},
      workspace,
      temp: workspace,
      outputRoots: [],
      confined: true,
      log: log ?? { info: () => undefined, warning: () => undefined, debug: () => undefined },
      now: () => new Date(),
    },
    verifyOptions,
  );
  return report;
}

/** The failed checks of the (first) artifact's bundles, in order. */
export const failedChecks = (r: VerifyReport): string[] =>
  (r.artifacts[0]?.bundles ?? []).flatMap((b) => b.failures.map((f) => f.check));
