// Loopback hosts: where plain http is acceptable (nothing crosses a network) and where tests run
// their stand-ins. One definition for every URL check that relaxes a rule for them.

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `hostname` as `URL` reports it (IPv6 in brackets). */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname);
}

export function isLoopbackURL(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}
