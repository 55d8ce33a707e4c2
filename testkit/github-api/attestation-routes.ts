// Attestation endpoints of the GitHub stand-in: POST stores a bundle under its subjects' digests, GET by
// digest pages with an opaque `after` cursor, and each entry's bundle_url serves the bundle
// snappy-compressed from token-free storage, as GitHub's does.

import { errorBody } from './faults.ts';
import { subjectDigests, type Model } from './model.ts';
import { perPage, send, sendJSON, REPO, type Call, type Route, type StandInSettings } from './call.ts';
import { snappyLiteralOnly } from './snappy.ts';

export function attestationRoutes(model: Model, settings: StandInSettings): Route[] {
  const refuseAttestations = (call: Call): boolean => {
    if (settings.attestations === 'available') return false;
    // The wording of GitHub's own message is not documented; this one says what the stand-in plays.
    sendJSON(
      call,
      403,
      errorBody(403, 'Artifact attestations are not available for this private repository on its current plan'),
    );
    return true;
  };
  return [
    {
      method: 'POST',
      pattern: new RegExp(`^/repos/${REPO}/attestations$`),
      endpoint: 'post-attestation',
      needsToken: true,
      inRepository: true,
      handle: (call) => {
        const [repo = ''] = call.params;
        if (refuseAttestations(call)) return;
        let bundle: unknown;
        try {
          bundle = (JSON.parse(call.body.toString('utf8')) as { bundle?: unknown }).bundle;
        } catch {
          return sendJSON(call, 400, errorBody(400, 'Problems parsing JSON'));
        }
        const digests = subjectDigests(bundle);
        if (digests.length === 0)
          return sendJSON(call, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'Attestation', code: 'invalid', field: 'bundle' }],
          });
        const id = model.id();
        model.attestations.push({ id, repo: repo.toLowerCase(), bundle, digests });
        sendJSON(call, 201, { id });
      },
    },
    {
      method: 'GET',
      // GitHub takes the digest's colon as is or escaped (octokit's own methods send sha256%3A<hex>).
      pattern: new RegExp(`^/repos/${REPO}/attestations/sha256(?::|%3A)([0-9a-f]{64})$`, 'i'),
      endpoint: 'list-attestations',
      needsToken: true,
      inRepository: true,
      handle: (call) => {
        const [repo = '', hex = ''] = call.params;
        const digest = `sha256:${hex.toLowerCase()}`;
        if (refuseAttestations(call)) return;
        const all = model.attestations.filter((a) => a.repo === repo.toLowerCase() && a.digests.includes(digest));
        const per = perPage(call.url, settings.maxPerPage);
        // Cursor pagination, as GitHub does for attestations: `after` is opaque to the client.
        const after = call.url.searchParams.get('after');
        const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) : 0;
        const slice = all.slice(start, start + per);
        const next =
          start + per < all.length
            ? {
                link: `<${call.base}${call.url.pathname}?per_page=${per}&after=${Buffer.from(String(start + per)).toString('base64url')}>; rel="next"`,
              }
            : {};
        const attestations = slice.map((a) => ({
          id: a.id,
          repository_id: model.repositories.get(a.repo),
          ...(settings.inlineBundles ? { bundle: a.bundle } : {}),
          bundle_url: `${call.base}/_storage/attestations/${a.id}`,
        }));
        sendJSON(call, 200, { attestations }, next);
      },
    },
    {
      method: 'GET',
      pattern: /^\/_storage\/attestations\/(\d+)$/,
      endpoint: 'attestation-storage',
      needsToken: false,
      inRepository: false,
      handle: (call) => {
        const stored = model.attestations.find((a) => String(a.id) === call.params[0]);
        if (!stored) return send(call, 404, Buffer.from('BlobNotFound'), { 'content-type': 'text/plain' });
        send(call, 200, snappyLiteralOnly(Buffer.from(JSON.stringify(stored.bundle))), {
          'content-type': 'application/octet-stream',
        });
      },
    },
  ];
}
