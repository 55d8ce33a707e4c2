// "owner/name" as the action receives it (GITHUB_REPOSITORY or an input), parsed once so that
// request paths are built from checked, escaped parts and never from raw strings.

import { ProvenanceError } from '../common/errors.ts';

export interface Repository {
  owner: string;
  name: string;
}

// GitHub's own rules: owners are alphanumeric with inner hyphens; repository names add . and _.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function parseRepository(value: string): Repository {
  const [owner = '', name = '', ...rest] = value.trim().split('/');
  if (rest.length > 0 || !OWNER.test(owner) || !NAME.test(name) || name === '.' || name === '..') {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `repository "${value}" is not "owner/name"`,
      'Name the repository as GitHub shows it, e.g. "octo-org/octo-repo"',
    );
  }
  return { owner, name };
}

/**
 * `/repos/{owner}/{name}/...rest` with every extra segment escaped, ":" too (`sha256%3A<hex>`, as octokit's
 * own methods send it): octokit reads ":name" in a URL as a template parameter and would drop the rest.
 */
export function repoPath(repo: Repository, ...rest: (string | number)[]): string {
  const segment = (s: string | number): string => encodeURIComponent(String(s));
  return ['', 'repos', repo.owner, repo.name, ...rest.map(segment)].join('/');
}

export function repoLabel(repo: Repository): string {
  return `${repo.owner}/${repo.name}`;
}
