// Release endpoints of the GitHub stand-in: the release for a tag, its assets paged by `page`, uploads
// answering 422 already_exists on a taken name (and leaving a "starter" asset when interrupted), the
// 302 from an asset's API URL to token-free storage, and deletion.

import { errorBody } from './faults.ts';
import { assetJSON, releaseJSON, type Model, type StoredRelease } from './model.ts';
import { perPage, send, sendJSON, REPO, type Call, type Route, type StandInSettings } from './call.ts';

export function releaseRoutes(model: Model, settings: StandInSettings): Route[] {
  const releaseById = (call: Call, repo: string, id: string): StoredRelease | undefined => {
    const release = model.release(repo, (r) => String(r.id) === id);
    if (!release) sendJSON(call, 404, errorBody(404, 'Not Found'));
    return release;
  };
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/repos/${REPO}/releases/tags/(.+)$`),
      endpoint: 'release-by-tag',
      needsToken: true,
      inRepository: true,
      handle: (call) => {
        const [repo = '', tag = ''] = call.params;
        const release = model.release(repo, (r) => r.tag === decodeURIComponent(tag));
        if (!release) return sendJSON(call, 404, errorBody(404, 'Not Found'));
        sendJSON(call, 200, releaseJSON(call.base, release, model.assetsOf(release.id), settings.serverUrl));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/repos/${REPO}/releases/(\\d+)/assets$`),
      endpoint: 'list-assets',
      needsToken: true,
      inRepository: true,
      handle: (call) => {
        const [repo = '', id = ''] = call.params;
        const release = releaseById(call, repo, id);
        if (!release) return;
        const all = model
          .assetsOf(release.id)
          .map((a) => assetJSON(call.base, release, a, settings.serverUrl, settings.assetDigests));
        const per = perPage(call.url, settings.maxPerPage);
        const page = Math.max(1, Number(call.url.searchParams.get('page')) || 1);
        const last = Math.max(1, Math.ceil(all.length / per));
        const link = (n: number): string => `<${call.base}${call.url.pathname}?per_page=${per}&page=${n}>`;
        const links = page < last ? { link: `${link(page + 1)}; rel="next", ${link(last)}; rel="last"` } : {};
        sendJSON(call, 200, all.slice((page - 1) * per, page * per), links);
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/uploads/repos/${REPO}/releases/(\\d+)/assets$`),
      endpoint: 'upload-asset',
      needsToken: true,
      inRepository: true,
      handle: (call) => {
        const [repo = '', id = ''] = call.params;
        const release = releaseById(call, repo, id);
        if (!release) return;
        const name = call.url.searchParams.get('name');
        const contentType = call.req.headers['content-type'];
        if (!name)
          return sendJSON(call, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }],
          });
        if (!contentType) return sendJSON(call, 400, errorBody(400, 'Bad Content-Type header value'));
        if (model.assetsOf(release.id).some((a) => a.name === name)) {
          return sendJSON(call, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
            documentation_url: 'https://docs.github.com/rest',
          });
        }
        const asset = {
          id: model.id(),
          releaseId: release.id,
          name,
          contentType,
          state: 'uploaded',
          content: call.body,
        };
        if (call.interrupted) {
          // What GitHub leaves when the upload stream breaks: an asset stuck in "starter" with part of the bytes.
          model.assets.push({ ...asset, state: 'starter', content: call.body.subarray(0, call.body.length >> 1) });
          call.req.socket.destroy();
          return;
        }
        model.assets.push(asset);
        sendJSON(call, 201, assetJSON(call.base, release, asset, settings.serverUrl, settings.assetDigests));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/repos/${REPO}/releases/assets/(\\d+)$`),
      endpoint: 'download-asset',
      needsToken: true,
      inRepository: true,
      handle: (call) => {
        const [repo = '', id = ''] = call.params;
        const asset = model.assets.find((a) => String(a.id) === id);
        const release = asset && model.release(repo, (r) => r.id === asset.releaseId);
        if (!asset || !release) return sendJSON(call, 404, errorBody(404, 'Not Found'));
        if (call.req.headers.accept !== 'application/octet-stream')
          return sendJSON(call, 200, assetJSON(call.base, release, asset, settings.serverUrl, settings.assetDigests));
        // GitHub redirects to pre-signed storage on another host; here it is a path of the stand-in.
        send(call, 302, Buffer.alloc(0), { location: `${call.base}/_storage/assets/${asset.id}` });
      },
    },
    {
      method: 'GET',
      pattern: /^\/_storage\/assets\/(\d+)$/,
      endpoint: 'asset-storage',
      needsToken: false,
      inRepository: false,
      handle: (call) => {
        const asset = model.assets.find((a) => String(a.id) === call.params[0]);
        if (!asset) return send(call, 404, Buffer.from('BlobNotFound'), { 'content-type': 'text/plain' });
        send(call, 200, asset.content, { 'content-type': 'application/octet-stream' });
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/repos/${REPO}/releases/assets/(\\d+)$`),
      endpoint: 'delete-asset',
      needsToken: true,
      inRepository: true,
      handle: (call) => {
        const [, id = ''] = call.params;
        const index = model.assets.findIndex((a) => String(a.id) === id);
        if (index < 0) return sendJSON(call, 404, errorBody(404, 'Not Found'));
        model.assets.splice(index, 1);
        send(call, 204, Buffer.alloc(0), {});
      },
    },
  ];
}
