import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import net from 'node:net';

/**
 * Addresses a webhook may not be sent to (SSRF): loopback, "this network", private (RFC 1918),
 * carrier-grade NAT, link-local (with the cloud metadata address 169.254.169.254), benchmarking,
 * documentation, multicast and reserved ranges, and their IPv6 counterparts (unique-local, which
 * holds fd00:ec2::254, link-local, multicast, IPv4-mapped and NAT64 forms of the above).
 */
const FORBIDDEN = new net.BlockList();
for (const [network, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, bits, 'ipv4');
}
for (const [network, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
] as const) {
  FORBIDDEN.addSubnet(network, bits, 'ipv6');
}

/** Whether an IP address (v4 or v6) is one a webhook may not be sent to. */
export function isForbiddenAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return FORBIDDEN.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4 embedded in IPv6 (::ffff:a.b.c.d mapped, 64:ff9b::a.b.c.d NAT64): judged by the IPv4 address.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1] ?? hexEmbedded(lower);
  if (embedded) return FORBIDDEN.check(embedded, 'ipv4');
  return FORBIDDEN.check(address, 'ipv6');
}

/** `::ffff:7f00:1` (the mapped form written in hex) as `127.0.0.1`. */
function hexEmbedded(address: string): string | undefined {
  const match = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!match) return undefined;
  const [high, low] = [parseInt(match[1], 16), parseInt(match[2], 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

export class ForbiddenAddressError extends Error {
  readonly code = 'WEBHOOK_ADDRESS_REFUSED';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a loopback, private, link-local or reserved address`);
  }
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * A `lookup` for http.request that refuses forbidden addresses after resolving, at connection time:
 * the address checked is the address connected to (no second resolution an attacker's DNS could
 * answer differently). IP literals never reach a lookup: check them with isForbiddenAddress first.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((entry) => isForbiddenAddress(entry.address));
      if (refused) return callback(new ForbiddenAddressError(hostname, refused.address), '', 0);
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/**
 * Why an endpoint URL is refused when it is registered (null: accepted): not http(s), http in
 * production, credentials in it, or (unless private URLs are allowed) `localhost` or a literal
 * forbidden address. Names are checked again after DNS at every delivery.
 */
export function endpointUrlProblem(raw: string, options: { production: boolean; allowPrivate: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL';
  if (options.production && url.protocol !== 'https:') return 'must use https';
  if (url.username || url.password) return 'must not contain credentials';
  if (options.allowPrivate) return null;
  const host = hostOf(url).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point to localhost';
  if (net.isIP(host) && isForbiddenAddress(host)) return 'must not point to a loopback, private, link-local or reserved address';
  return null;
}
