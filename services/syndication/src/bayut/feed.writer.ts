import { createCB, fragmentCB } from 'xmlbuilder2';
import { type ProjectedListing, floorPlansOf, imagesOf } from '../projection/listing.model';
import { EMIRATE_NAMES, bayutPropertyType } from '../validation/rules';

/** Characters XML 1.0 cannot carry at all (C0 controls, lone surrogates, U+FFFE/U+FFFF): dropped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Drops what XML cannot carry; line ends become \n (as every XML parser would read them anyway). */
// A cheap first look (no `u` flag): most text has none of these and is returned as it is.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\r\ud800-\udfff\ufffe\uffff]/;

export function xmlSafe(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return text.replace(NOT_XML, '').replace(/\r\n?/g, '\n');
}

/** Off-plan tag: casing disputed between sources (`Off_Plan` vs `Off_plan`); one constant to change. */
export const OFF_PLAN_TAG = 'Off_Plan';

const FEATURES: Record<string, string> = {
  'central-ac': 'Central air conditioning', 'built-in-wardrobes': 'Built in wardrobes', 'kitchen-appliances': 'Kitchen Appliances', security: 'Security',
  concierge: 'Concierge Service', 'maid-service': 'Maid Service', balcony: 'Balcony', 'private-gym': 'Private Gym', 'shared-gym': 'Shared Gym',
  'private-jacuzzi': 'Private Jacuzzi', 'shared-spa': 'Shared Spa', 'covered-parking': 'Covered Parking', 'maids-room': 'Maids Room', study: 'Study',
  'childrens-play-area': "Children's Play Area", 'pets-allowed': 'Pets Allowed', 'barbecue-area': 'Barbecue Area', 'shared-pool': 'Shared Pool',
  'childrens-pool': "Children's Pool", 'private-garden': 'Private Garden', 'private-pool': 'Private Pool', 'view-of-water': 'View of Water',
  'view-of-landmark': 'View of Landmark', 'walk-in-closet': 'Walk-in Closet', 'lobby-in-building': 'Lobby in Building', 'vastu-compliant': 'Vastu-compliant',
  networked: 'Networked', 'dining-in-building': 'Dining in building', 'conference-room': 'Conference room',
};

const RENT: Record<string, string> = { yearly: 'Yearly', monthly: 'Monthly', weekly: 'Weekly', daily: 'Daily' };
const FURNISHED: Record<string, string> = { furnished: 'Yes', unfurnished: 'No', 'semi-furnished': 'Partly' };

/** `YYYY-MM-DD HH:mm:ss` in UTC (the feed's documented format; the time zone is unstated). */
export function feedTime(iso: string | Date): string {
  return (typeof iso === 'string' ? iso : iso.toISOString()).replace('T', ' ').slice(0, 19);
}

export interface FeedAgent {
  name?: string;
  phone?: string;
  email?: string;
}

export interface FeedRow {
  /** The listing's pre-rendered tags (`renderBayutListing`). */
  document: string;
  /** `deleted` keeps a removed listing in the feed so Bayut takes it down. */
  status: 'live' | 'deleted';
  lastUpdated: string | Date;
}

/** The few XML operations the feed needs, so two serialisers can be swapped and compared. */
export interface XmlOut {
  open(name: string): void;
  close(): void;
  /** Character data (escaped). */
  text(value: string): void;
  /** One CDATA section; `value` must not contain `]]>`. */
  cdata(value: string): void;
  end(): void;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * The feed's serialiser: string building with escaping, an element stack for closing tags, and
 * `<x/>` for empty elements. Written by hand because xmlbuilder2's streaming builder builds a DOM
 * fragment (with its options deep-cloned) for every call — about 60 µs per node, a minute of CPU
 * for 20k listings (bench/feed). Its output is checked byte for byte against xmlbuilder2's by
 * the property test, and parsed strictly there.
 */
export class FastXml implements XmlOut {
  private readonly stack: string[] = [];
  /** Whether the innermost open tag still lacks its `>`. */
  private pending = false;

  constructor(
    private readonly write: (chunk: string) => void,
    declaration = true,
  ) {
    if (declaration) write('<?xml version="1.0" encoding="UTF-8"?>');
  }

  /** Already-serialised, well-formed markup (a fragment this class wrote earlier). */
  raw(markup: string): void {
    this.settle();
    this.write(markup);
  }

  private settle(): void {
    if (this.pending) {
      this.write('>');
      this.pending = false;
    }
  }

  open(name: string): void {
    this.settle();
    this.write(`<${name}`);
    this.stack.push(name);
    this.pending = true;
  }

  close(): void {
    const name = this.stack.pop()!;
    if (this.pending) {
      this.write('/>');
      this.pending = false;
    } else this.write(`</${name}>`);
  }

  text(value: string): void {
    this.settle();
    this.write(/[&<>]/.test(value) ? value.replace(/[&<>]/g, (c) => ESCAPES[c]!) : value);
  }

  cdata(value: string): void {
    this.settle();
    this.write(`<![CDATA[${value}]]>`);
  }

  end(): void {
    while (this.stack.length) this.close();
  }
}

/** The same operations on xmlbuilder2's callback builder (`wellFormed: true`): the reference. */
export class XmlBuilder2Xml implements XmlOut {
  private readonly xml;

  constructor(write: (chunk: string) => void, declaration = true) {
    const options = { data: write, prettyPrint: false, wellFormed: true };
    this.xml = declaration ? createCB(options) : fragmentCB(options);
    if (declaration) this.xml.dec({ version: '1.0', encoding: 'UTF-8' });
  }

  open(name: string): void {
    this.xml.ele(name);
  }

  close(): void {
    this.xml.up();
  }

  text(value: string): void {
    this.xml.txt(value);
  }

  cdata(value: string): void {
    this.xml.dat(value);
  }

  end(): void {
    this.xml.end();
  }
}

/** Element helpers over either serialiser: CDATA text, plain values, lists. */
class Tags {
  constructor(readonly xml: XmlOut) {}

  cdata(name: string, value: string | number | null | undefined): void {
    if (value === null || value === undefined) return;
    const text = xmlSafe(String(value));
    this.xml.open(name);
    if (!text.includes(']]>')) this.xml.cdata(text);
    else {
      const parts = text.split(']]>');
      parts.forEach((part, i) => this.xml.cdata((i > 0 ? '>' : '') + part + (i < parts.length - 1 ? ']]' : '')));
    }
    this.xml.close();
  }

  plain(name: string, value: string | number | null | undefined): void {
    if (value === null || value === undefined || value === '') return;
    this.xml.open(name);
    this.xml.text(xmlSafe(String(value)));
    this.xml.close();
  }

  list(outer: string, inner: string, values: string[]): void {
    if (!values.length) return;
    this.xml.open(outer);
    for (const v of values) this.cdata(inner, v);
    this.xml.close();
  }
}

/**
 * The listing's own tags of its `<Property>`, rendered once when the listing is projected (not
 * on every pull): the feed then streams stored text, so a pull costs about what PostgreSQL
 * spends sending it. Text is in CDATA; characters XML cannot carry are dropped and `]]>` is
 * split across sections, so any listing text yields well-formed XML.
 */
export function renderBayutListing(l: ProjectedListing, serializer: 'fast' | 'xmlbuilder2' = 'fast'): string {
  let out = '';
  const write = (chunk: string) => (out += chunk);
  const t = new Tags(serializer === 'fast' ? new FastXml(write, false) : new XmlBuilder2Xml(write, false));
  const noRooms = l.propertyType === 'land' || l.propertyType === 'farm';
  t.cdata('Property_Ref_No', l.reference);
  t.cdata('Permit_Number', l.permit?.number ?? '');
  t.plain('Property_purpose', l.purpose === 'rent' ? 'Rent' : 'Buy');
  t.cdata('Property_Type', bayutPropertyType(l.category, l.propertyType) ?? '');
  t.plain('Property_Size', l.sizeSqft ?? '');
  t.plain('Property_Size_Unit', 'SQFT');
  t.plain('plotArea', l.plotSizeSqft ?? '');
  // Studio: 0 bedrooms (the spec's chosen encoding).
  if (!noRooms && l.bedrooms !== null) t.plain('Bedrooms', l.bedrooms > 10 ? '10+' : l.bedrooms);
  if (!noRooms && l.bathrooms !== null) t.plain('Bathrooms', l.bathrooms);
  t.list('Features', 'Feature', l.amenities.map((a) => FEATURES[a] ?? a.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase())));
  t.plain(OFF_PLAN_TAG, l.completionStatus === 'off_plan' ? 'Yes' : 'No');
  t.cdata('Property_Title', l.titleEn);
  if (l.titleAr) t.cdata('Property_Title_AR', l.titleAr);
  t.cdata('Property_Description', l.descriptionEn);
  if (l.descriptionAr) t.cdata('Property_Description_AR', l.descriptionAr);
  // AED, whole dirhams (we keep integer fils).
  t.plain('Price', l.priceFils === null ? '' : Math.round(l.priceFils / 100));
  if (l.purpose === 'rent') t.plain('Rent_Frequency', RENT[l.rentFrequency] ?? '');
  t.plain('Furnished', FURNISHED[l.furnishing] ?? '');
  t.cdata('City', EMIRATE_NAMES[l.emirate] ?? l.emirate);
  t.cdata('Locality', l.community);
  if (l.subCommunity) t.cdata('Sub_Locality', l.subCommunity);
  if (l.building) t.cdata('Tower_Name', l.building);
  t.list('Images', 'Image', imagesOf(l).map((m) => m.url));
  t.list('Floor_Plans', 'Floor_Plan', floorPlansOf(l).map((m) => m.url));
  t.xml.end();
  return out;
}

export const FEED_HEAD = '<?xml version="1.0" encoding="UTF-8"?><Properties>';
export const FEED_TAIL = '</Properties>';

/** The tags every `<Property>` of one pull ends with: portals and agent contact (from the settings). */
export function pullTags(portals: string[], agent: FeedAgent): string {
  let out = '';
  const t = new Tags(new FastXml((chunk) => (out += chunk), false));
  t.xml.open('Portals');
  for (const portal of portals) t.plain('Portal', portal);
  t.xml.close();
  if (agent.name) t.cdata('Listing_Agent', agent.name);
  if (agent.phone) t.cdata('Listing_Agent_Phone', agent.phone);
  if (agent.email) t.cdata('Listing_Agent_Email', agent.email);
  t.xml.end();
  return out;
}

/**
 * One `<Property>`: the listing's rendered tags, its status and Last_Updated, then the pull's
 * tags. The feed's SQL (FeedRepository) composes exactly this in PostgreSQL, so the bytes
 * stream straight from the database; tests build feeds with this function.
 */
export function propertyElement(row: FeedRow, tail: string): string {
  return `<Property>${row.document}<Property_Status>${row.status}</Property_Status><Last_Updated>${feedTime(row.lastUpdated)}</Last_Updated>${tail}</Property>`;
}
