// The page of a workflow artifact this run uploaded, for the job summary: GitHub serves it at
// <server>/<owner>/<repo>/actions/runs/<run id>/artifacts/<artifact id>. Built only from the
// runner's own variables and the id the artifact service answered, each checked for its shape, so
// the link cannot point anywhere else; without them the artifact is named, not linked.

import { markdownCode } from './untrusted.ts';

export interface UploadedArtifact {
  id: number;
  name: string;
}

export function workflowArtifactURL(env: NodeJS.ProcessEnv, artifact: UploadedArtifact): string | undefined {
  const server = env['GITHUB_SERVER_URL'] ?? '';
  const repository = env['GITHUB_REPOSITORY'] ?? '';
  const run = env['GITHUB_RUN_ID'] ?? '';
  if (
    !/^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(server) ||
    !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository) ||
    !/^\d+$/.test(run)
  )
    return undefined;
  if (!Number.isSafeInteger(artifact.id) || artifact.id < 0) return undefined;
  return `${server}/${repository}/actions/runs/${run}/artifacts/${artifact.id}`;
}

/** `[name](page)` when the page is known, else the name as code. */
export function artifactMarkdown(env: NodeJS.ProcessEnv, artifact: UploadedArtifact): string {
  const url = workflowArtifactURL(env, artifact);
  return url === undefined
    ? `workflow artifact ${markdownCode(artifact.name)}`
    : `workflow artifact [${markdownCode(artifact.name)}](${url})`;
}
