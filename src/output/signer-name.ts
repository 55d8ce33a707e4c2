// How a signer identity reads in a summary: a GitHub Actions workflow identity is long
// (https://github.com/OWNER/REPO/.github/workflows/FILE@refs/tags/TAG) and widens every table it
// is in, so summaries show `FILE@TAG` and keep the full identity beside it. Shared by the attest
// and verify summaries. Pure.

/**
 * A GitHub Actions signer (https://HOST/OWNER/REPO/.github/workflows/FILE@REF) as `FILE@REF`, with
 * refs/tags/ and refs/heads/ dropped: `release.yml@v1.2.0`. Other identities (an e-mail, another
 * CI's URI) are shown as they are. The short form is for reading; the summary keeps the full one
 * next to it, since a workflow of the same name in another repository is another signer.
 */
export function shortSignerName(signer: string): string {
  const m = /^https:\/\/[^/]+\/[^/]+\/[^/]+\/\.github\/workflows\/([^@/]+)@(.+)$/.exec(signer);
  if (!m) return signer;
  const [, file = '', ref = ''] = m;
  return `${file}@${ref.replace(/^refs\/(?:tags|heads)\//, '')}`;
}
