import { createCB } from 'xmlbuilder2';
import type { XMLBuilderCB } from 'xmlbuilder2/lib/interfaces';
import { type ProjectedListing, floorPlansOf, imagesOf } from '../projection/listing.model';
import { EMIRATE_NAMES, bayutPropertyType } from '../validation/rules';

/** Characters XML 1.0 cannot carry at all (C0 controls, lone surrogates, U+FFFE/U+FFFF): dropped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Drops what XML cannot carry; line ends become \n (as every XML parser would read them anyway). */
export function xmlSafe(text: string): string {
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
  listing: ProjectedListing;
  /** `deleted` keeps a removed listing in the feed so Bayut takes it down. */
  status: 'live' | 'deleted';
  lastUpdated: string | Date;
}

/**
 * Writes the Bayut/dubizzle combined XML with xmlbuilder2's callback (streaming) builder: every
 * property goes out as soon as it is written, so memory stays flat whatever the feed's size.
 * Text is in CDATA; characters XML cannot carry are dropped and `]]>` is split across sections,
 * so any listing text yields a well-formed document. `wellFormed: true` makes the builder
 * refuse anything that would not be.
 */
export class BayutFeedWriter {
  private readonly xml: XMLBuilderCB;

  constructor(
    write: (chunk: string) => void,
    private readonly portals: string[],
    private readonly agent: FeedAgent,
  ) {
    this.xml = createCB({ data: write, prettyPrint: false, wellFormed: true });
    this.xml.dec({ version: '1.0', encoding: 'UTF-8' }).ele('Properties');
  }

  private cdata(name: string, value: string | number | null | undefined): void {
    if (value === null || value === undefined) return;
    const text = xmlSafe(String(value));
    this.xml.ele(name);
    const parts = text.split(']]>');
    parts.forEach((part, i) => this.xml.dat((i > 0 ? '>' : '') + part + (i < parts.length - 1 ? ']]' : '')));
    this.xml.up();
  }

  private plain(name: string, value: string | number | null | undefined): void {
    if (value === null || value === undefined || value === '') return;
    this.xml.ele(name).txt(xmlSafe(String(value))).up();
  }

  private list(outer: string, inner: string, values: string[]): void {
    if (!values.length) return;
    this.xml.ele(outer);
    for (const v of values) this.cdata(inner, v);
    this.xml.up();
  }

  property(row: FeedRow): void {
    const l = row.listing;
    const noRooms = l.propertyType === 'land' || l.propertyType === 'farm';
    this.xml.ele('Property');
    this.cdata('Property_Ref_No', l.reference);
    this.cdata('Permit_Number', l.permit?.number ?? '');
    this.plain('Property_Status', row.status);
    this.plain('Property_purpose', l.purpose === 'rent' ? 'Rent' : 'Buy');
    this.cdata('Property_Type', bayutPropertyType(l.category, l.propertyType) ?? '');
    this.plain('Property_Size', l.sizeSqft ?? '');
    this.plain('Property_Size_Unit', 'SQFT');
    this.plain('plotArea', l.plotSizeSqft ?? '');
    // Studio: 0 bedrooms (the spec's chosen encoding).
    if (!noRooms && l.bedrooms !== null) this.plain('Bedrooms', l.bedrooms > 10 ? '10+' : l.bedrooms);
    if (!noRooms && l.bathrooms !== null) this.plain('Bathrooms', l.bathrooms);
    this.list('Features', 'Feature', l.amenities.map((a) => FEATURES[a] ?? a.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase())));
    this.plain(OFF_PLAN_TAG, l.completionStatus === 'off_plan' ? 'Yes' : 'No');
    this.xml.ele('Portals');
    for (const portal of this.portals) this.plain('Portal', portal);
    this.xml.up();
    this.plain('Last_Updated', feedTime(row.lastUpdated));
    this.cdata('Property_Title', l.titleEn);
    if (l.titleAr) this.cdata('Property_Title_AR', l.titleAr);
    this.cdata('Property_Description', l.descriptionEn);
    if (l.descriptionAr) this.cdata('Property_Description_AR', l.descriptionAr);
    // AED, whole dirhams (we keep integer fils).
    this.plain('Price', l.priceFils === null ? '' : Math.round(l.priceFils / 100));
    if (l.purpose === 'rent') this.plain('Rent_Frequency', RENT[l.rentFrequency] ?? '');
    this.plain('Furnished', FURNISHED[l.furnishing] ?? '');
    this.cdata('City', EMIRATE_NAMES[l.emirate] ?? l.emirate);
    this.cdata('Locality', l.community);
    if (l.subCommunity) this.cdata('Sub_Locality', l.subCommunity);
    if (l.building) this.cdata('Tower_Name', l.building);
    this.list('Images', 'Image', imagesOf(l).map((m) => m.url));
    this.list('Floor_Plans', 'Floor_Plan', floorPlansOf(l).map((m) => m.url));
    if (this.agent.name) this.cdata('Listing_Agent', this.agent.name);
    if (this.agent.phone) this.cdata('Listing_Agent_Phone', this.agent.phone);
    if (this.agent.email) this.cdata('Listing_Agent_Email', this.agent.email);
    this.xml.up();
  }

  end(): void {
    this.xml.up().end();
  }
}
