// The Sigstore public-good trusted root, offline: the snapshot @sigstore/tuf ships in its
// seeds.json (the TUF repository's trusted_root.json target, base64). Imported as JSON so the
// bundler inlines it and dist/ needs no file beside it.

import seeds from '@sigstore/tuf/seeds.json' with { type: 'json' };

const PUBLIC_GOOD_TUF_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';

/** The public-good trusted root document, parsed but not yet validated. */
export function publicGoodTrustedRoot(): unknown {
  const target = seeds[PUBLIC_GOOD_TUF_MIRROR].targets['trusted_root.json'];
  return JSON.parse(Buffer.from(target, 'base64').toString('utf8'));
}
