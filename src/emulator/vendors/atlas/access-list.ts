import { BlockList, isIP } from 'node:net';

/**
 * A programmatic key's IP access list, as the Atlas v2 spec documents it
 * (UserAccessListRequest, UserAccessListResponse): each entry is one
 * address (`ipAddress`) or one range (`cidrBlock`). Atlas keeps a key's
 * usage only here: `lastUsed`, `lastUsedAddress` and `count` appear on the
 * entry that matched the caller once it has made a request.
 */
export interface AccessListEntry {
  /** Exactly one of ipAddress and cidrBlock. */
  readonly ipAddress?: string;
  readonly cidrBlock?: string;
  /** Epoch milliseconds. */
  created: number;
  /** Epoch milliseconds of the latest request through this entry; null when none came. */
  lastUsed: number | null;
  lastUsedAddress: string | null;
  /** Requests through this entry. */
  count: number;
}

/** How the API and the control routes name an entry: its address or its range. */
export const entryName = (entry: AccessListEntry): string => entry.ipAddress ?? entry.cidrBlock!;

/** The entry an API request describes, or what is wrong with it (for a 400 naming the field). */
export function accessListEntryOf(input: unknown, now: number): { entry: AccessListEntry } | { problem: string; field: string } {
  const body = (input ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { problem: 'Each access list entry must be an object with ipAddress or cidrBlock.', field: 'ipAddress' };
  const { ipAddress, cidrBlock } = body;
  if ((ipAddress === undefined) === (cidrBlock === undefined)) return { problem: 'Set ipAddress or cidrBlock, not both.', field: 'ipAddress' };
  const fresh = { created: now, lastUsed: null, lastUsedAddress: null, count: 0 };
  if (ipAddress !== undefined) {
    return typeof ipAddress === 'string' && isIP(ipAddress) !== 0 ? { entry: { ipAddress, ...fresh } } : { problem: `${String(ipAddress)} is not an IPv4 or IPv6 address.`, field: 'ipAddress' };
  }
  return typeof cidrBlock === 'string' && subnetOf(cidrBlock) ? { entry: { cidrBlock, ...fresh } } : { problem: `${String(cidrBlock)} is not a CIDR block such as 203.0.113.0/24.`, field: 'cidrBlock' };
}

function subnetOf(cidrBlock: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, prefixText, extra] = cidrBlock.split('/');
  const version = isIP(address ?? '');
  const prefix = Number(prefixText);
  if (extra !== undefined || version === 0 || !/^\d{1,3}$/.test(prefixText ?? '') || prefix > (version === 4 ? 32 : 128)) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether a caller at `address` is on this entry. */
export function entryAllows(entry: AccessListEntry, address: string): boolean {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  if (entry.ipAddress !== undefined) list.addAddress(entry.ipAddress, isIP(entry.ipAddress) === 6 ? 'ipv6' : 'ipv4');
  else {
    const subnet = subnetOf(entry.cidrBlock!)!;
    list.addSubnet(subnet.address, subnet.prefix, subnet.family);
  }
  return list.check(address, family);
}

/** Counts one request from `address` on the entry. */
export function recordUse(entry: AccessListEntry, address: string, now: number): void {
  entry.lastUsed = now;
  entry.lastUsedAddress = address;
  entry.count += 1;
}

/** The entry as UserAccessListResponse shows it: the usage fields only once a request came through it. */
export function presentEntry(entry: AccessListEntry, self: string): Record<string, unknown> {
  return {
    ...(entry.ipAddress === undefined ? { cidrBlock: entry.cidrBlock } : { ipAddress: entry.ipAddress }),
    created: new Date(entry.created).toISOString(),
    ...(entry.lastUsed === null ? {} : { lastUsed: new Date(entry.lastUsed).toISOString(), lastUsedAddress: entry.lastUsedAddress, count: entry.count }),
    links: [{ href: `${self}/${encodeURIComponent(entryName(entry))}`, rel: 'self' }],
  };
}
