// workflow_dispatch inputs, the one part of the provenance not carried by the OIDC token. They
// come from the runner's event payload; the payload's ref and repository must match the verified
// token, so a payload for another run is refused instead of recorded.

import { readFile } from 'node:fs/promises';
import { ProvenanceError } from '../../common/errors.ts';
import type { GitHubClaims } from './claims.ts';

export async function dispatchInputs(
  claims: GitHubClaims,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, unknown> | undefined> {
  if (claims.event_name !== 'workflow_dispatch') return undefined;
  const eventPath = env['GITHUB_EVENT_PATH'];
  if (!eventPath) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(eventPath, 'utf8'));
  } catch {
    return undefined; // no readable payload: inputs are optional in the build type
  }
  return inputsFromPayload(payload, claims);
}

export function inputsFromPayload(payload: unknown, claims: GitHubClaims): Record<string, unknown> | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as { ref?: unknown; repository?: { full_name?: unknown }; inputs?: unknown };
  const repo = p.repository?.full_name;
  if (p.ref !== claims.ref || repo !== claims.repository) {
    throw new ProvenanceError(
      'OIDC_CLAIMS_INVALID',
      `the event payload (GITHUB_EVENT_PATH) describes ${String(repo)}@${String(p.ref)}, but the job's token says ${claims.repository}@${claims.ref}`,
      'Do not modify the runner event file in earlier steps; re-run the workflow',
    );
  }
  if (typeof p.inputs !== 'object' || p.inputs === null || Array.isArray(p.inputs)) return undefined;
  return p.inputs as Record<string, unknown>;
}
