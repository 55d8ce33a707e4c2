// Which login to use for a registry, chosen the way the Docker CLI chooses: a `credHelpers` entry for the
// registry, else the `credsStore` helper, else the inline `auths` entry; nothing at all means anonymous.
// Looked up once per registry and kept in memory only.

import { runCredentialHelper } from './cred-helper.ts';
import { dockerConfigPath, readDockerConfig, type DockerConfig } from './docker-config.ts';
import { DOCKER_HUB_CREDENTIALS_KEY } from './endpoint.ts';
import { DOCKER_HUB } from './reference.ts';

export interface RegistryCredentials {
  username: string;
  /** Empty when only an identity token is known. */
  password: string;
  /** An OAuth2 refresh token (`identitytoken`, or a helper's answer for user `<token>`). */
  identityToken: string | undefined;
  /** Where it came from, for error lines: never the secret itself. */
  source: string;
}

export interface CredentialStore {
  forRegistry(registry: string): Promise<RegistryCredentials | undefined>;
  /** Where a user would add a login, for hints. */
  readonly location: string;
}

// Docker Hub's logins are filed under its v1 index URL; other registries under their host.
const DOCKER_HUB_KEYS = ['index.docker.io', 'docker.io', 'registry-1.docker.io'];
const IDENTITY_TOKEN_USER = '<token>';

/**
 * `env` supplies DOCKER_CONFIG/HOME and the PATH credential helpers are looked up on. `mask` is told
 * every secret read, so the caller can hide it from logs (core.setSecret).
 */
export function dockerCredentials(
  env: NodeJS.ProcessEnv = process.env,
  mask: (secret: string) => void = () => undefined,
): CredentialStore {
  let config: Promise<DockerConfig> | undefined;
  const found = new Map<string, Promise<RegistryCredentials | undefined>>();
  const store: CredentialStore = {
    location: dockerConfigPath(env),
    forRegistry(registry) {
      let answer = found.get(registry);
      if (answer === undefined) {
        answer = (config ??= readDockerConfig(env)).then((c) => lookUp(c, registry, env));
        found.set(registry, answer);
      }
      return answer.then((creds) => {
        if (creds?.password) mask(creds.password);
        if (creds?.identityToken) mask(creds.identityToken);
        return creds;
      });
    },
  };
  return store;
}

async function lookUp(
  config: DockerConfig,
  registry: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryCredentials | undefined> {
  const keys = registry === DOCKER_HUB ? DOCKER_HUB_KEYS : [registry];
  const serverURL = registry === DOCKER_HUB ? DOCKER_HUB_CREDENTIALS_KEY : registry;
  const helper = firstOf(keys, (k) => config.credHelpers.get(k)) ?? config.credsStore;
  if (helper !== undefined) {
    const answer = await runCredentialHelper(helper, serverURL, env, config.file);
    if (answer !== undefined) {
      const source = `docker-credential-${helper}`;
      return answer.username === IDENTITY_TOKEN_USER
        ? { username: '', password: '', identityToken: answer.secret, source }
        : { username: answer.username, password: answer.secret, identityToken: undefined, source };
    }
  }
  const entry = firstOf(keys, (k) => config.auths.get(k));
  if (entry === undefined || (entry.password === undefined && entry.identityToken === undefined)) return undefined;
  return {
    username: entry.username ?? '',
    password: entry.password ?? '',
    identityToken: entry.identityToken,
    source: `auths in ${config.file}`,
  };
}

function firstOf<T>(keys: readonly string[], get: (key: string) => T | undefined): T | undefined {
  for (const key of keys) {
    const value = get(key);
    if (value !== undefined) return value;
  }
  return undefined;
}
