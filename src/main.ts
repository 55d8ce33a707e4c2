// The action's run(): reads inputs, attests, and is the one place that sets outputs, writes the
// job summary, or fails the step (with one line; details go to the debug log).

import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { attest, type Runtime } from './attest.ts';
import { errorLine } from './errors.ts';
import { attestSettings } from './inputs/settings.ts';
import { attestSummaryMarkdown } from './output/summary.ts';

export function actionRuntime(env: NodeJS.ProcessEnv): Runtime {
  const workspace = path.resolve(env['GITHUB_WORKSPACE'] ?? process.cwd());
  const temp = path.resolve(env['RUNNER_TEMP'] ?? os.tmpdir());
  return {
    env,
    workspace,
    defaultBundleDir: path.join(temp, 'provenance'),
    outputRoots: [temp],
    log: { info: core.info, warning: core.warning, debug: core.debug },
  };
}

export async function run(): Promise<void> {
  try {
    const settings = attestSettings((name) => core.getInput(name));
    const outcome = await attest(settings, actionRuntime(process.env));
    core.setOutput('bundle-path', outcome.bundleFile);
    core.setOutput('statement-digest', outcome.statementDigests[0] ?? '');
    core.setOutput('statement-digests', outcome.statementDigests.join('\n'));
    core.setOutput('subject-count', String(outcome.report.subjects.length));
    core.info(`wrote ${outcome.bundles.length} bundle(s) to ${outcome.bundleFile}`);
    if (settings.showSummary && process.env['GITHUB_STEP_SUMMARY']) {
      await core.summary.addRaw(attestSummaryMarkdown(outcome.report)).write();
    }
  } catch (err) {
    if (err instanceof Error && err.stack) core.debug(err.stack);
    core.setFailed(errorLine(err));
  }
}
