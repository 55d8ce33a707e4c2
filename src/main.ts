// The action's run(): reads the mode and its inputs, runs it, and is the one place that sets
// outputs, writes the job summary, annotates, or fails the step (with one line; details go to
// the debug log).

import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { attestSettings, loadAttester } from './attest/index.ts';
import { errorLine, ProvenanceError } from './common/errors.ts';
import type { Runtime } from './common/runtime.ts';
import type { InputReader } from './inputs/read.ts';
import { artifactMarkdown, type UploadedArtifact } from './output/artifact-link.ts';
import { untrusted } from './output/untrusted.ts';
import { loadVerifier, modeFrom, verifySettings } from './verify/index.ts';

const log = { info: core.info, warning: core.warning, debug: core.debug };

function actionRuntime(env: NodeJS.ProcessEnv): Runtime {
  const workspace = path.resolve(env['GITHUB_WORKSPACE'] ?? process.cwd());
  const temp = path.resolve(env['RUNNER_TEMP'] ?? os.tmpdir());
  // Confined: in a workflow, GITHUB_WORKSPACE (and the runner's temp dir for outputs) bound every path.
  return { env, workspace, temp, outputRoots: [temp], confined: true, log, now: () => new Date() };
}

// Each mode loads its own machinery only once its inputs are known to be good: signing (sigstore-js),
// publishing (registry, GitHub, the artifact service) and verification stay out of start-up.
async function runAttest(get: InputReader): Promise<void> {
  const settings = attestSettings(get);
  const { attest, attestSummaryMarkdown, publish } = await loadAttester();
  const runtime = actionRuntime(process.env);
  const outcome = await attest(settings, runtime);
  // The bundle file and the outputs appear only once every sink has its copy: a step that fails
  // leaves no bundle file and sets no output (see docs/retries.md).
  const published = await publish(outcome, settings, runtime).catch(async (err: unknown) => {
    await outcome.staged.discard();
    throw err;
  });
  await outcome.staged.commit();
  core.setOutput('bundle-path', outcome.bundleFile);
  core.setOutput('statement-digest', outcome.statementDigests[0] ?? '');
  core.setOutput('statement-digests', outcome.statementDigests.join('\n'));
  core.setOutput('subject-count', String(outcome.report.subjects.length));
  core.info(`wrote ${outcome.bundles.length} bundle(s) to ${outcome.bundleFile}`);
  if (published.attestationIds[0] !== undefined) core.setOutput('attestation-id', published.attestationIds[0]);
  if (published.attestationUrls[0] !== undefined) core.setOutput('attestation-url', published.attestationUrls[0]);
  if (published.releaseAssets.length > 0) core.setOutput('release-assets', published.releaseAssets.join('\n'));
  if (settings.showSummary && process.env['GITHUB_STEP_SUMMARY']) {
    const uploadedTo =
      published.artifact === undefined ? {} : { uploadedTo: artifactMarkdown(process.env, published.artifact) };
    await core.summary
      .addRaw(
        attestSummaryMarkdown(outcome.report, {
          workspace: runtime.workspace,
          attestationUrls: published.attestationUrls,
          ...uploadedTo,
        }),
      )
      .write();
  }
}

async function runVerify(get: InputReader): Promise<void> {
  const settings = verifySettings(get);
  // The policy loads here, not at start-up: reading a policy file needs the YAML parser.
  const [
    { verify, workspaceFileReader, policyFromInputs, reportMarkdown, verifyAnnotations },
    { writeSummaryAttestations },
  ] = await Promise.all([loadVerifier(), import('./summary-attestation.ts')]);
  const runtime = actionRuntime(process.env);
  const policy = policyFromInputs(get, workspaceFileReader(runtime.workspace));
  const { report, reportFile, imageUses } = await verify(settings, policy, runtime);
  core.setOutput('verified', String(report.verified));
  core.setOutput('report-path', reportFile ?? '');
  if (settings.vsaPath !== undefined) {
    const vsaFile = await writeSummaryAttestations(
      report,
      { vsaPath: settings.vsaPath, sigstore: settings.sigstore, policyFile: settings.policyFile },
      runtime,
    );
    if (vsaFile !== undefined) core.setOutput('vsa-path', vsaFile);
  }
  const uploaded =
    settings.uploadArtifact === undefined ? undefined : await uploadReport(settings.uploadArtifact, reportFile, report);
  if (settings.showSummary && process.env['GITHUB_STEP_SUMMARY']) {
    const full =
      uploaded === undefined ? {} : { fullReport: `the JSON report in the ${artifactMarkdown(process.env, uploaded)}` };
    await core.summary.addRaw(reportMarkdown(report, full)).write();
  }
  // The failure line first: GitHub shows 10 error annotations per step, and this one holds the fix.
  const annotations = verifyAnnotations(report, imageUses);
  if (annotations !== undefined) core.setFailed(annotations.failure);
  for (const a of annotations?.artifacts ?? [])
    core.error(a.message, {
      ...(a.title !== undefined && { title: a.title }),
      ...(a.file !== undefined && { file: a.file }),
      ...(a.startLine !== undefined && { startLine: a.startLine }),
    });
  for (const artifact of report.artifacts)
    if (artifact.result === 'PASS') core.info(`PASS ${untrusted(artifact.name)}`);
}

/**
 * The JSON report as a workflow artifact (verify's upload-artifact), so the reader of the summary
 * can download it after the job. A failed upload is a warning: the gate's verdict stands either way.
 */
async function uploadReport(
  name: string,
  reportFile: string | undefined,
  report: object,
): Promise<UploadedArtifact | undefined> {
  const { uploadBundlesArtifact } = await import('./github/workflow-artifacts.ts');
  const file = {
    name: reportFile === undefined ? 'provenance-verify.json' : path.basename(reportFile),
    content: `${JSON.stringify(report, null, 2)}\n`,
  };
  try {
    const artifact = await uploadBundlesArtifact(name, [file], process.env);
    log.info(`uploaded ${file.name} as workflow artifact "${artifact.name}"`);
    return artifact;
  } catch (err) {
    if (!(err instanceof ProvenanceError)) throw err;
    log.warning(`upload-artifact: the report was not uploaded: ${err.message}. ${err.hint}`);
    return undefined;
  }
}

export async function run(): Promise<void> {
  try {
    const get: InputReader = (name) => core.getInput(name);
    switch (modeFrom(get)) {
      case 'attest':
        return await runAttest(get);
      case 'verify':
        return await runVerify(get);
    }
  } catch (err) {
    if (err instanceof Error && err.stack) core.debug(err.stack);
    core.setFailed(errorLine(err));
  }
}
