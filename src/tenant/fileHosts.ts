import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where PassLens may fetch a dropped file from and PUT a findings file to: Microsoft's
 * file hosts of the configured cloud, over https, at a public address. The link comes from
 * the activity (content.downloadUrl, fileConsent uploadInfo.uploadUrl), so without this
 * check an admin's forged activity would turn the bot into a reader of its own network
 * (the App Service's metadata endpoint, loopback services).
 *
 * Which hosts: Teams uploads a file sent to a bot to the sender's OneDrive for Business and
 * gives its URL; a consent upload goes to an upload session in the same OneDrive
 * (learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4, "Receive files in
 * personal chat", "Invoke activity when the user accepts the file"). OneDrive for Business
 * and SharePoint Online are `<tenant>.sharepoint.com` and `<tenant>-my.sharepoint.com`
 * (Microsoft 365 URLs and IP address ranges, worldwide, "SharePoint Online and OneDrive for
 * Business", ID 31) and `*.sharepoint.cn` for Office 365 operated by 21Vianet (its endpoints
 * page, ID 4); the cloud table (live/cloud.ts) holds them per cloud.
 */
export interface FileHostPolicy {
  /** Domains whose sub-domains are Microsoft's file hosts for the cloud, e.g. "sharepoint.com"; none: no file is fetched. */
  domains: readonly string[];
  /** What the cloud is called in a refusal ("this cloud" when unnamed). */
  cloudName?: string;
  /**
   * Local mode only (no bot identity, the bot listening on loopback): files the local drop
   * helper serves under LOCAL_DROP_PATH on a loopback address, over http.
   */
  localDrop?: boolean;
  /** Resolves a host name to its addresses (tests map a name; default: the system resolver). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

/**
 * The one path a local drop helper serves files under (`npm run drop`, test/support/fileDrop.ts):
 * http://127.0.0.1:PORT/passlens-drop/NAME. Nothing else on loopback is ever fetched.
 */
export const LOCAL_DROP_PATH = '/passlens-drop/';

/** A link refused before anything was sent, or an address refused before connecting; the message names why, never what came back. */
export class FileHostRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileHostRefusedError';
  }
}

/** Where a link may go: Microsoft's file hosts over https, or the local drop helper; throws FileHostRefusedError otherwise. */
export function checkFileUrl(link: string, policy: FileHostPolicy): { url: URL; local: boolean } {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new FileHostRefusedError('The link to the file is not a URL.');
  }
  // WHATWG URL parsing has already turned decimal, hex and octal IPv4 forms into dotted ones.
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.localDrop && url.protocol === 'http:' && url.pathname.startsWith(LOCAL_DROP_PATH) && isLoopbackName(host) && !url.username && !url.password) {
    return { url, local: true };
  }
  const hosts = allowedHostsText(policy);
  if (url.protocol !== 'https:') throw new FileHostRefusedError(`The link to the file is not https: PassLens fetches files only over https from ${hosts}.`);
  if (isIP(host)) throw new FileHostRefusedError(`The link to the file names an IP address, not a host: PassLens fetches files only from ${hosts}.`);
  if (url.username || url.password) throw new FileHostRefusedError('The link to the file carries a user name or password: PassLens sends none.');
  if (!policy.domains.some((d) => host.endsWith(`.${d}`))) throw new FileHostRefusedError(`The link to the file is not on Microsoft's file hosts: PassLens fetches files only from ${hosts}.`);
  return { url, local: false };
}

function allowedHostsText(policy: FileHostPolicy): string {
  if (!policy.domains.length) return `nowhere in ${policy.cloudName ?? 'this cloud'} (Teams bots cannot receive files there)`;
  return policy.domains.map((d) => `*.${d}`).join(', ');
}

/** localhost or a loopback address: where a local bot listens, and a local drop link's host. */
export function isLoopbackName(host: string): boolean {
  host = host.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || (isIP(host) > 0 && isLoopbackAddress(host));
}

/** An address of the public internet: not private, loopback, link-local, unique-local, CGNAT, multicast, reserved or unspecified. */
export function isPublicAddress(address: string): boolean {
  return rangeOf(address) === 'unicast';
}

function isLoopbackAddress(address: string): boolean {
  return rangeOf(address) === 'loopback';
}

/** ipaddr.js's range; process() reads ::ffff:10.0.0.1 and the like as the IPv4 address they carry. */
function rangeOf(address: string): string | null {
  return ipaddr.isValid(address) ? ipaddr.process(address).range() : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void;

/**
 * A `lookup` for the connection (node:net): the host is resolved once, every address is
 * checked, and the socket connects to a checked address, so a second answer of the name
 * (DNS rebinding) can never swap in another. Local drop links must resolve to loopback.
 */
export function checkedLookup(policy: FileHostPolicy, local: boolean) {
  const resolve = policy.resolve ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  return (host: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(host)
      .then((addresses) => {
        if (!addresses.length) throw new FileHostRefusedError('The file host\'s name did not resolve to an address.');
        const bad = addresses.find((a) => (local ? !isLoopbackAddress(a.address) : !isPublicAddress(a.address)));
        if (bad) {
          throw new FileHostRefusedError(
            local ? 'The local drop host does not resolve to loopback.' : 'The file host resolves to a private, loopback or link-local address: PassLens fetches files only from public addresses.',
          );
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      })
      .catch((e: Error) => callback(e as NodeJS.ErrnoException, ''));
  };
}
