// A signer identity as a person scans it in a narrow table or a chart node: the workflow file and
// the ref it ran at (`release.yml@v1.2.0`), not the whole certificate SAN
// (`https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.0`). Pure.
//
// The short form drops the host, owner and repository, so two signers can look alike in it: a
// renderer that shows it must also give the full value (a <details>, the text report) and must
// not let the short form alone decide anything. The result is a substring of the input, made of
// the input's own characters: it is as untrusted as the input and goes through the same escaping
// (untrusted(), markdownCode(), mermaidLabelText()) as the full value would.

/** A full Git object id (SHA-1 or SHA-256), shown by its first 7 hex digits as git does. */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/** A ref as people say it: refs/tags/v1 → v1, refs/heads/main → main, a commit id → its first 7. */
export function shortRef(ref: string): string {
  if (OBJECT_ID.test(ref)) return ref.slice(0, 7);
  const named = /^refs\/(?:tags|heads)\/(.+)$/s.exec(ref);
  if (named?.[1] !== undefined) return named[1];
  // refs/pull/12/merge and other namespaces keep what tells them apart.
  const other = /^refs\/(.+)$/s.exec(ref);
  return other?.[1] ?? ref;
}

/**
 * `FILE@REF` for a CI workflow identity (https://HOST/…/FILE@REF: GitHub Actions, GitLab and
 * the like), with REF shortened by shortRef; anything else (an email, a bare URI) unchanged.
 * The workflow path ends at the first `@`, as in GitHub's job_workflow_ref.
 */
export function shortSigner(signer: string): string {
  const m = /^https:\/\/[^/@]+\/(?:[^@]*\/)?([^/@]+)@(.+)$/s.exec(signer);
  const file = m?.[1];
  const ref = m?.[2];
  if (file === undefined || ref === undefined) return signer;
  return `${file}@${shortRef(ref)}`;
}
