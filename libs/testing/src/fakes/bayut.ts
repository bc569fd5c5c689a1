import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A local stand-in for Bayut's feed poller (portals spec §1.6): fetches the feed (gzip, with
 * If-None-Match), fails loudly on malformed XML, checks each <Property> (required tags, enums,
 * off-plan conditionals), and keeps state keyed by Property_Ref_No per portal across polls.
 * Sends nothing back: the real portal gives no feedback.
 */
export interface BayutRejected {
  ref: string;
  reasons: string[];
}

export interface BayutPoll {
  status: number;
  /** Uncompressed body bytes (0 for 304). */
  bytes: number;
  gzip: boolean;
  properties: number;
}

export interface BayutPuller {
  poll: () => Promise<BayutPoll>;
  /** References live on a portal (`Bayut` or `dubizzle`). */
  live: (portal?: string) => string[];
  /** The last ingested tags of a listing. */
  listing: (ref: string) => Record<string, unknown> | undefined;
  rejected: () => BayutRejected[];
  /** The last raw XML fetched. */
  lastXml: () => string;
}

const REQUIRED = ['Property_Ref_No', 'Property_Status', 'Property_purpose', 'Property_Type', 'Property_Size', 'Property_Size_Unit', 'Off_Plan', 'Portals', 'Last_Updated', 'Property_Title', 'Property_Description', 'Price', 'City', 'Locality', 'Images'];

function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Parses a feed strictly; throws on anything that is not well-formed XML. */
export function parseBayutFeed(xml: string): Record<string, unknown>[] {
  // What fast-xml-parser's validator lets through but XML 1.0 forbids: characters outside Char,
  // and `]]>` in character data (a CDATA section broken by an unsplit `]]>`).
  const bad = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(xml);
  if (bad) throw new Error(`malformed feed XML: character U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${bad.index}`);
  if (xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').includes(']]>')) throw new Error('malformed feed XML: "]]>" outside a CDATA section');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`malformed feed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, isArray: (name) => ['Property', 'Portal', 'Image', 'Feature', 'Floor_Plan'].includes(name) });
  const doc = parser.parse(xml) as { Properties?: { Property?: Record<string, unknown>[] } | '' };
  if (doc.Properties === undefined) throw new Error('the feed has no <Properties> root');
  return doc.Properties === '' ? [] : asArray(doc.Properties.Property);
}

export function checkBayutProperty(p: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  for (const tag of REQUIRED) if (p[tag] === undefined || (typeof p[tag] === 'string' && !str(p[tag]) && tag !== 'Images')) reasons.push(`${tag} is missing`);
  const enumOf = (tag: string, allowed: string[]) => {
    if (p[tag] !== undefined && !allowed.includes(str(p[tag]))) reasons.push(`${tag} "${str(p[tag])}" is not one of ${allowed.join(', ')}`);
  };
  enumOf('Property_Status', ['live', 'deleted']);
  enumOf('Property_purpose', ['Buy', 'Rent']);
  enumOf('Property_Size_Unit', ['SQFT']);
  enumOf('Off_Plan', ['Yes', 'No']);
  enumOf('Furnished', ['Yes', 'No', 'Partly']);
  if (str(p.Property_purpose) === 'Rent') enumOf('Rent_Frequency', ['Yearly', 'Monthly', 'Weekly', 'Daily']);
  if (str(p.Property_purpose) === 'Rent' && p.Rent_Frequency === undefined) reasons.push('Rent_Frequency is missing for a rental');
  if (p.Last_Updated !== undefined && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(str(p.Last_Updated))) reasons.push(`Last_Updated "${str(p.Last_Updated)}" is not YYYY-MM-DD HH:mm:ss`);
  const portals = asArray((p.Portals as { Portal?: unknown[] } | undefined)?.Portal).map(str);
  if (!portals.length) reasons.push('no <Portal>');
  for (const portal of portals) if (!['Bayut', 'dubizzle'].includes(portal)) reasons.push(`Portal "${portal}" is not Bayut or dubizzle`);
  if (!asArray((p.Images as { Image?: unknown[] } | undefined)?.Image).length) reasons.push('at least one <Image> is required');
  if (str(p.Off_Plan) === 'Yes') {
    const saleType = str(p.offplanDetails_saleType);
    if (!['New', 'Resale'].includes(saleType)) reasons.push('offplanDetails_saleType (New or Resale) is required off-plan');
    if (saleType === 'New' && p.offplanDetails_dldWaiver === undefined) reasons.push('offplanDetails_dldWaiver is required for off-plan New');
    if (saleType === 'Resale' && (p.offplanDetails_originalPrice === undefined || p.offplanDetails_amountPaid === undefined)) reasons.push('offplanDetails_originalPrice and offplanDetails_amountPaid are required for off-plan Resale');
  }
  return reasons;
}

export function startBayutPuller(feedUrl: string, options: { removeMissing?: boolean } = {}): BayutPuller {
  const state = new Map<string, { portals: Set<string>; tags: Record<string, unknown> }>();
  let rejected: BayutRejected[] = [];
  let etag: string | undefined;
  let xml = '';
  return {
    poll: async () => {
      const res = await get(feedUrl, { 'accept-encoding': 'gzip', ...(etag ? { 'if-none-match': etag } : {}) });
      if (res.status === 304) return { status: 304, bytes: 0, gzip: false, properties: state.size };
      if (res.status !== 200) return { status: res.status, bytes: 0, gzip: false, properties: state.size };
      etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
      const gzip = res.headers['content-encoding'] === 'gzip';
      xml = (gzip ? gunzipSync(res.body) : res.body).toString('utf8');
      const properties = parseBayutFeed(xml);
      rejected = [];
      const seen = new Set<string>();
      for (const p of properties) {
        const ref = str(p.Property_Ref_No);
        const reasons = checkBayutProperty(p);
        if (reasons.length) {
          rejected.push({ ref, reasons });
          continue;
        }
        seen.add(ref);
        if (str(p.Property_Status) === 'deleted') state.delete(ref);
        else state.set(ref, { portals: new Set(asArray((p.Portals as { Portal?: unknown[] }).Portal).map(str)), tags: p });
      }
      if (options.removeMissing) for (const ref of [...state.keys()]) if (!seen.has(ref)) state.delete(ref);
      return { status: 200, bytes: Buffer.byteLength(xml), gzip, properties: properties.length };
    },
    live: (portal = 'Bayut') => [...state.entries()].filter(([, v]) => v.portals.has(portal)).map(([ref]) => ref).sort(),
    listing: (ref) => state.get(ref)?.tags,
    rejected: () => rejected,
    lastXml: () => xml,
  };
}
