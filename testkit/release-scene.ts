// The scene most chain and policy tests start from: a workspace holding one release file (`app.tar.gz`)
// and the local stack's trusted root and signing config, and a verify step over bundle files as a gate
// runs it through the action (runner harness). One place, so every such test reads the same files.

import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalServices } from './index.ts';
import { runAction, type ActionRun } from './runner.ts';

export const RELEASE_FILE = 'app.tar.gz';

/** A fresh workspace under `scratch` with app.tar.gz, trusted_root.json and signing.json (Rekor, no TSA). */
export async function releaseWorkspace(services: Pick<LocalServices, 'sigstore'>, scratch: string): Promise<string> {
  const ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, RELEASE_FILE), 'the release');
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  return ws;
}

export interface ChainGate {
  services: Pick<LocalServices, 'issuer'> & Partial<Pick<LocalServices, 'github'>>;
  scratch: string;
  ws: string;
  /** The source repository the policy names. */
  repository: string;
  /** Runner variables (e.g. GITHUB_API_URL of the stand-in). */
  env?: Record<string, string>;
}

/** A verify step that requires `chain` of app.tar.gz over these bundle files, plus any other inputs. */
export function verifyChain(
  gate: ChainGate,
  bundles: readonly string[],
  chain: string,
  extra: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction(gate.services, {
    scratch: gate.scratch,
    workspace: gate.ws,
    ...(gate.env === undefined ? {} : { env: gate.env }),
    inputs: {
      mode: 'verify',
      'subject-path': RELEASE_FILE,
      'bundle-path': bundles.join('\n'),
      'trusted-root': 'trusted_root.json',
      'certificate-oidc-issuer': gate.services.issuer.issuer,
      repository: gate.repository,
      'require-chain': chain,
      ...extra,
    },
  });
}
