// Signing the Verification Summary Attestations verify mode emits with vsa-path: the statements
// come from the verification report (src/verify/report/vsa.ts), the signing is attest mode's. This is
// the one place the two meet, so verification itself never imports signing.

import packageJSON from '../package.json' with { type: 'json' };
import { loadSigner } from './attest/index.ts';
import { writeFileAtomic } from './common/atomic-write.ts';
import type { Runtime } from './common/runtime.ts';
import { resolveInside, writeRoots } from './common/workspace.ts';
import type { SigstoreSetting } from './inputs/read.ts';
import { loadSummaryStatements, type VerifyReport } from './verify/index.ts';

export interface VsaRequest {
  vsaPath: string;
  sigstore: SigstoreSetting;
  policyFile: string | undefined;
}

/** Who verified: this action at the ref the workflow used, as the runner names it, else this package version. */
export function verifierId(env: NodeJS.ProcessEnv): string {
  const repo = env['GITHUB_ACTION_REPOSITORY'];
  const ref = env['GITHUB_ACTION_REF'];
  const server = env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  return repo && ref ? `${server}/${repo}@${ref}` : `pkg:npm/${packageJSON.name}@${packageJSON.version}`;
}

/** Signs one VSA per passing artifact into a JSON Lines file; returns its path, or undefined when nothing passed. */
export async function writeSummaryAttestations(
  report: VerifyReport,
  request: VsaRequest,
  rt: Runtime,
): Promise<string | undefined> {
  const file = resolveInside('vsa-path', request.vsaPath, rt.workspace, writeRoots(rt));
  const [{ vsaStatements }, { openSigningSession, signStatements, serializeBundles, checkWritable }] =
    await Promise.all([loadSummaryStatements(), loadSigner()]);
  const statements = vsaStatements(report, {
    verifierId: verifierId(rt.env),
    policyUri: request.policyFile ?? 'urn:provenance-action:policy:inputs',
  });
  if (statements.length === 0) return undefined;
  await checkWritable(file, 'vsa-path'); // before signing: a VSA that cannot be written is not signed
  const session = await openSigningSession(request.sigstore, rt);
  const { bundles } = await signStatements(session, statements);
  await writeFileAtomic(file, serializeBundles(bundles, 'jsonl'));
  rt.log.info(`signed ${bundles.length} verification summary attestation(s) into ${file}`);
  return file;
}
