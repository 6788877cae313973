import ipaddr from "ipaddr.js";

/** IPv6 clients are counted by their /64: one host usually holds a whole /64 and can rotate through it. */
const IPV6_LIMIT_PREFIX = 64;

export interface ClientAddress {
  /** Canonical address for the audit trail, or null when nothing parseable was given. */
  ip: string | null;
  /** What rate limits count by: the IPv4 address, or the IPv6 /64 prefix. */
  limitKey: string;
}

/**
 * Resolves the client from Fastify's `request.ip` (X-Forwarded-For when the
 * proxy is trusted), falling back to the socket address when that is not an
 * IP at all, so that spelling variants of one address share one budget and
 * no junk ever reaches the varchar(64) ip columns.
 */
export function clientAddress(forwarded: string | undefined, socket: string | undefined): Readonly<ClientAddress> {
  // Every call parses with ipaddr.js, a few per cent of a protected call's CPU, for the same few addresses.
  const key = `${forwarded}\n${socket}`;
  const known = resolved.get(key);
  if (known) return known;
  const address = parseAddress(forwarded) ?? parseAddress(socket);
  const client = Object.freeze(address ? { ip: address.toString(), limitKey: limitKeyOf(address) } : { ip: null, limitKey: "unknown" });
  // Bounded: a trusted proxy may forward any number of distinct addresses.
  if (resolved.size >= RESOLVED_KEPT) resolved.clear();
  resolved.set(key, client);
  return client;
}

const RESOLVED_KEPT = 4096;
const resolved = new Map<string, Readonly<ClientAddress>>();

/** The canonical form of `value`, or null when it is not an IP address. */
export function canonicalIp(value: string | undefined): string | null {
  return parseAddress(value)?.toString() ?? null;
}

function parseAddress(value: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = value === undefined ? "" : withoutPort(value.trim());
  if (!ipaddr.isValid(bare)) return null;
  const address = ipaddr.process(bare); // ::ffff:a.b.c.d becomes a.b.c.d
  if (address.kind() === "ipv4") {
    // Octal, hex and short forms (010.1.2.3, 0x7f.1, 127.1) mean different hosts to different parsers: refuse them.
    return ipaddr.IPv4.isValidFourPartDecimal(bare) || ipaddr.IPv6.isValid(bare) ? address : null;
  }
  const v6 = address as ipaddr.IPv6;
  v6.zoneId = undefined; // a zone id names our interface, not the client
  return v6;
}

/** "[v6]:port" → "v6" and "a.b.c.d:port" → "a.b.c.d"; a bare IPv6 address (many colons) is left alone. */
function withoutPort(value: string): string {
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end < 0 ? value : value.slice(1, end);
  }
  const colon = value.indexOf(":");
  return colon >= 0 && colon === value.lastIndexOf(":") ? value.slice(0, colon) : value;
}

function limitKeyOf(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (address.kind() === "ipv4") return address.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${IPV6_LIMIT_PREFIX}`);
  return `${network.toString()}/${IPV6_LIMIT_PREFIX}`;
}
