// Where GitHub is and who we are to it: the REST API base (GITHUB_API_URL), the web server
// (GITHUB_SERVER_URL, for links people open) and the token from the `github-token` input.
// Checked once here so every request after it can trust them; the token is never shown.

import { ProvenanceError } from '../common/errors.ts';
import { isLoopbackHostname } from '../http/loopback.ts';

export interface GitHubEndpoints {
  apiUrl: string; // no trailing slash, e.g. https://api.github.com or https://ghes.example/api/v3
  serverUrl: string; // e.g. https://github.com
}

export function gitHubEndpoints(env: NodeJS.ProcessEnv): GitHubEndpoints {
  return {
    apiUrl: baseUrl('GITHUB_API_URL', env['GITHUB_API_URL'] || 'https://api.github.com'),
    serverUrl: baseUrl('GITHUB_SERVER_URL', env['GITHUB_SERVER_URL'] || 'https://github.com'),
  };
}

/** A base URL without a trailing slash; plain http only on loopback, where a token cannot be overheard. */
export function baseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${name} "${value}" is not a URL`,
      `Unset ${name} on GitHub-hosted runners; on GitHub Enterprise Server it is set by the runner`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHostname(url.hostname))) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${name} "${url.origin}" is not https`,
      'The token is sent to this address: use an https URL',
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${name} must be a plain base URL (no query, fragment or credentials)`,
      `Set ${name} to the API root, e.g. https://api.github.com`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** The token from the `github-token` input; an empty one is a configuration mistake, caught before any request. */
export function requireToken(token: string | undefined): string {
  const value = token?.trim() ?? '';
  if (value === '') {
    throw new ProvenanceError(
      'INPUT_INVALID',
      'github-token is empty, and publishing to GitHub needs it',
      'Keep the default "github-token: ${{ github.token }}" or pass a token with the permissions named below',
    );
  }
  if (/\s/.test(value)) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      'github-token contains whitespace',
      'Pass the token alone, without a "Bearer" prefix or line breaks',
    );
  }
  return value;
}
