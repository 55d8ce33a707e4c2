// Where a registry's API lives and which URLs we are willing to send a request to. Everything goes over
// https, except registries on this machine (127.0.0.0/8, localhost, [::1]): a local test registry has no
// certificate, and loopback traffic never leaves the host, so plain http there exposes nothing.

import { ProvenanceError } from '../common/errors.ts';
import { DOCKER_HUB } from './reference.ts';

// Docker Hub's API and the key `docker login` files its credentials under differ from its name.
const DOCKER_HUB_API = 'registry-1.docker.io';
export const DOCKER_HUB_CREDENTIALS_KEY = 'https://index.docker.io/v1/';

/** The host part of `host[:port]`, with IPv6 brackets kept: `[::1]:5000` → `[::1]`. */
export function hostOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(0, registry.indexOf(']') + 1);
  const colon = registry.indexOf(':');
  return colon === -1 ? registry : registry.slice(0, colon);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/** `https://host[:port]`, or `http://…` for a loopback registry. */
export function registryBaseURL(registry: string): string {
  const address = registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
  return `${isLoopbackHost(hostOf(address)) ? 'http' : 'https'}://${address}`;
}

/**
 * Refuses plain http to anything but loopback: a token service, an upload location or a redirect target
 * chosen by the registry must not downgrade us to cleartext on the network.
 */
export function assertSecureURL(url: URL, service: string, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new ProvenanceError(
    'REGISTRY_FAILED',
    `${service} sent us to ${url.protocol}//${url.host}${url.pathname} for ${what}, which is not https`,
    'Only loopback registries may use plain http; configure the registry (or its token service) to use https',
  );
}
