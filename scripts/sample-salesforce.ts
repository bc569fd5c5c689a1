import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

/**
 * Writes realistic Salesforce/Propertybase exports, deterministic for a seed, with the dirt real
 * exports have: phones as +971 50…, 050…, 00971…, empty or unreadable; contacts repeated under a
 * second Salesforce Id; Arabic names; impossible dates; rows without an Id or any contact.
 *
 *   node dist/scripts/sample-salesforce.js                     the committed test data (seed 7)
 *   node dist/scripts/sample-salesforce.js contacts 100000 out.csv [--seed 42] [--clean]
 *   node dist/scripts/sample-salesforce.js listings 100000 out.csv [--seed 42] [--clean]
 * `--clean` leaves the dirt out (every row valid and distinct: the bench).
 */
export type Random = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const chance = (r: Random, p: number) => r() < p;
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** An 18-character Salesforce-like Id: key prefix (003 Contact, a0X pba__Listing__c) + a counter. */
export function sfId(prefix: string, n: number): string {
  let s = '';
  let v = n;
  for (let i = 0; i < 9; i++) {
    s = B62[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return `${prefix}5g00${s}AAV`.slice(0, 18).padEnd(18, 'A');
}
const csv = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const FIRST = ['Ahmed', 'Mohammed', 'Fatima', 'Aisha', 'Omar', 'Priya', 'Rahul', 'Olga', 'Dmitry', 'Sarah', 'James', 'Emma', 'Li', 'Wei', 'Hassan', 'Layla', 'Maria', 'Jose', 'Anna', 'Khalid'];
const LAST = ['Al Mansoori', 'Khan', 'Sharma', 'Ivanova', 'Smith', 'Brown', 'Haddad', 'Nasser', 'Zhang', 'Patel', 'Fernandes', 'Müller', 'Rossi', 'Al Falasi', 'Qureshi', "O'Brien"];
const ARABIC_FIRST = ['محمد', 'أحمد', 'فاطمة', 'عائشة', 'خالد', 'مريم'];
const ARABIC_LAST = ['المنصوري', 'الفلاسي', 'الهاشمي', 'النعيمي'];
const SOURCES = ['Property Finder', 'Bayut', 'Website', 'Walk-in', 'Referral', 'Dubizzle', 'Cold Call', ''];
const STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Qualified', 'Viewing Scheduled', 'Closed - Converted', 'Closed - Not Converted'];
const LANGUAGES = ['English', 'Arabic', 'Russian', 'Hindi', ''];
const NATIONALITIES = ['Emirati', 'Indian', 'British', 'Russian', 'Pakistani', 'Egyptian', 'Lebanese', 'Chinese', ''];
const COMMUNITY_SPELLINGS = ['Dubai Marina', 'dubai marina', 'Marsa Dubai', 'JVC', 'Jumeirah Village Circle', 'Downtown Dubai', 'downtown', 'Business Bay', 'Palm Jumeirah', 'the palm', 'JLT', 'Dubai Hills Estate', 'Arabian Ranches', 'Al Reem Island', 'Al Majaz'];
const TYPES = ['Apartment', 'Villa', 'Townhouse', 'Penthouse', 'Office', 'Studio', 'Flat'];
const OWNERS = ['0055g00000AgentAAA', '0055g00000AgentBAA', '0055g00000AgentCAA'];
const PREFIXES = ['50', '52', '54', '55', '56', '58'];

function uaeMobile(r: Random): { national: string; digits: string } {
  const p = pick(r, PREFIXES);
  const rest = String(Math.floor(r() * 10_000_000)).padStart(7, '0');
  return { national: p, digits: rest };
}
/** The same number the many ways Salesforce users typed it. */
function written(r: Random, m: { national: string; digits: string }): string {
  const d = m.digits;
  return pick(r, [
    `+971 ${m.national} ${d.slice(0, 3)} ${d.slice(3)}`,
    `0${m.national}${d}`,
    `0${m.national}-${d.slice(0, 3)}-${d.slice(3)}`,
    `00971${m.national}${d}`,
    `+971${m.national}${d}`,
    `(+971) ${m.national} ${d}`,
  ]);
}

export const CONTACT_HEADER = [
  'Id', 'FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone', 'LeadSource', 'Status', 'OwnerId', 'Preferred_Language__c', 'Nationality__c', 'WhatsApp_Opt_In__c',
  'HasOptedOutOfEmail', 'pba__Request__c.pba__ListingType__c', 'pba__Request__c.pba__PropertyType__c', 'pba__Request__c.pba__Bedrooms_pb_min__c',
  'pba__Request__c.pba__Bedrooms_pb_max__c', 'pba__Request__c.pba__ListingPrice_pb_min__c', 'pba__Request__c.pba__ListingPrice_pb_max__c',
  'pba__Request__c.pba__Locations__c', 'pba__Request__c.Furnishing__c', 'pba__Request__c.Move_In_Date__c', 'CreatedDate',
];

/** One contact row; `clean` rows are always valid and never share a contact. */
export function contactRow(r: Random, i: number, clean: boolean, earlier: { phone: string; email: string }[]): (string | number)[] {
  const arabic = !clean && chance(r, 0.08);
  const first = arabic ? pick(r, ARABIC_FIRST) : pick(r, FIRST);
  const last = arabic ? pick(r, ARABIC_LAST) : pick(r, LAST);
  const mobile = uaeMobile(r);
  let mobileText = clean ? `+971${mobile.national}${String(i).padStart(7, '0')}` : written(r, mobile);
  let email = clean ? `contact${i}@example.com` : `${first.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'client'}.${i}@example.${pick(r, ['com', 'ae', 'net'])}`;
  let phone = clean ? '' : chance(r, 0.3) ? written(r, uaeMobile(r)) : '';
  let id: string = sfId('003', i);
  let firstName: string = first;
  let lastName: string = last;
  let moveIn = `2026-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  if (!clean) {
    // The same person entered twice (a Lead converted beside an old Contact): same number, other format.
    if (earlier.length > 5 && chance(r, 0.06)) {
      const twin = pick(r, earlier);
      if (chance(r, 0.6)) mobileText = twin.phone.replace(/^\+971\s?/, '0').replace(/\s/g, '');
      else email = twin.email.toUpperCase();
    }
    if (chance(r, 0.05)) mobileText = '';
    if (chance(r, 0.02)) mobileText = pick(r, ['12345', 'n/a', '+971 5']);
    if (chance(r, 0.03)) moveIn = pick(r, ['31/02/2026', 'ASAP', '2026-13-01', 'next summer']);
    else if (chance(r, 0.2)) moveIn = moveIn.split('-').reverse().join('/');
    if (chance(r, 0.01)) id = '';
    if (chance(r, 0.01)) {
      mobileText = '';
      phone = '';
      email = '';
    }
    if (chance(r, 0.01)) {
      firstName = '';
      lastName = '';
    }
  }
  if (!clean) earlier.push({ phone: mobileText, email });
  const buy = chance(r, 0.6);
  const minBeds = Math.floor(r() * 4);
  const budget = buy ? 500_000 + Math.floor(r() * 40) * 100_000 : 40_000 + Math.floor(r() * 30) * 5_000;
  return [
    id, firstName, lastName, email, phone, mobileText, pick(r, SOURCES), pick(r, STATUSES), pick(r, OWNERS), clean ? 'English' : pick(r, LANGUAGES), clean ? 'Indian' : pick(r, NATIONALITIES),
    chance(r, 0.5) ? 'true' : 'false', chance(r, 0.1) ? 'true' : 'false', buy ? 'Sale' : 'Rent', `${pick(r, TYPES)};${pick(r, TYPES)}`, minBeds, minBeds + Math.floor(r() * 3),
    clean ? budget : pick(r, [String(budget), budget.toLocaleString('en-US'), `AED ${budget.toLocaleString('en-US')}`]), String(Math.round(budget * 1.3)),
    `${pick(r, COMMUNITY_SPELLINGS)};${pick(r, COMMUNITY_SPELLINGS)}`, pick(r, ['Furnished', 'Unfurnished', 'Semi Furnished', '']), moveIn, '2019-05-14T09:30:00.000Z',
  ];
}

export const LISTING_HEADER = [
  'Id', 'Name', 'pba__ListingType__c', 'Rent_Frequency__c', 'pba__PropertyType__c', 'pba__Status__c', 'pba__ListingPrice_pb__c', 'pba__Bedrooms_pb__c', 'pba__FullBathrooms_pb__c',
  'pba__TotalArea_pb__c', 'pba__City_pb__c', 'pba__Community_pb__c', 'pba__SubCommunity_pb__c', 'pba__Address_pb__c', 'pba__Description_pb__c', 'Title_Arabic__c', 'Furnished__c',
  'Completion_Status__c', 'Permit_Number__c', 'Permit_Expiry_Date__c', 'Landlord_Name__c', 'Landlord_Phone__c', 'Landlord_Email__c', 'OwnerId',
];

export function listingRow(r: Random, i: number, clean: boolean): (string | number)[] {
  const sale = chance(r, 0.55);
  const type = clean ? pick(r, ['Apartment', 'Villa', 'Townhouse', 'Penthouse']) : pick(r, [...TYPES, 'Hotel Apartment', 'Shop', 'Warehouse']);
  const beds = type === 'Studio' ? 'Studio' : String(1 + Math.floor(r() * 5));
  const priceAed = sale ? 600_000 + Math.floor(r() * 60) * 50_000 : 45_000 + Math.floor(r() * 40) * 5_000;
  let price: string = String(priceAed);
  let city = 'Dubai';
  let community = clean ? 'Dubai Marina' : pick(r, COMMUNITY_SPELLINGS);
  let id: string = sfId('a0X', i);
  let typeText: string = type;
  let permitExpiry = `2027-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-15`;
  if (community === 'Al Reem Island') city = 'Abu Dhabi';
  if (community === 'Al Majaz') city = 'Sharjah';
  if (!clean) {
    price = pick(r, [price, priceAed.toLocaleString('en-US'), `AED ${priceAed.toLocaleString('en-US')}`, sale ? `${priceAed / 1_000_000}M` : price]);
    city = pick(r, [city, city.toUpperCase(), city === 'Dubai' ? 'dxb' : city]);
    if (chance(r, 0.02)) price = 'Call for price';
    if (chance(r, 0.02)) typeText = 'Castle';
    if (chance(r, 0.02)) community = '';
    if (chance(r, 0.03)) permitExpiry = '30/02/2027';
    if (chance(r, 0.01)) id = '';
  }
  const title = `${beds === 'Studio' ? 'Studio' : `${beds} BR`} ${type} in ${community || 'Dubai'}`;
  return [
    id, title, sale ? 'Sale' : 'Rent', sale ? '' : chance(r, 0.8) ? 'Yearly' : '', typeText, pick(r, ['Active', 'Active', 'Draft', 'Under Offer', 'Sold', 'Withdrawn']), price, beds,
    1 + Math.floor(r() * 4), 500 + Math.floor(r() * 3000), city, community, chance(r, 0.3) ? 'Marina Gate' : '', `Tower ${1 + Math.floor(r() * 20)}`,
    `Bright ${type.toLowerCase()} with ${pick(r, ['sea', 'Burj', 'park', 'golf'])} view.\nChiller free, ${pick(r, ['vacant', 'tenanted'])}.`, chance(r, 0.3) ? 'شقة مميزة' : '',
    pick(r, ['Yes', 'No', 'Semi Furnished']), pick(r, ['Ready', 'Off Plan']), city === 'Dubai' ? String(7_000_000_000 + i) : '', permitExpiry, pick(r, ['Ali Hassan', 'J. Smith', 'علي حسن']),
    clean ? `+97150${String(i).padStart(7, '0')}` : written(r, uaeMobile(r)), `landlord${i}@example.com`, pick(r, OWNERS),
  ];
}

/** Streams `rows` rows to `file` (with backpressure: fine for millions of rows). */
export async function writeSample(entity: 'contacts' | 'listings', file: string, rows: number, seed = 7, clean = false): Promise<void> {
  const r = seeded(seed);
  const out = createWriteStream(file);
  const header = entity === 'contacts' ? CONTACT_HEADER : LISTING_HEADER;
  out.write('\ufeff' + header.map(csv).join(',') + '\r\n');
  const earlier: { phone: string; email: string }[] = [];
  for (let i = 1; i <= rows; i++) {
    const row = entity === 'contacts' ? contactRow(r, i, clean, earlier.length > 500 ? earlier.slice(-500) : earlier) : listingRow(r, i, clean);
    if (earlier.length > 1000) earlier.splice(0, 500);
    if (!out.write(row.map(csv).join(',') + '\r\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args.splice(seedAt, 2)[1]) : 7;
  const cleanAt = args.indexOf('--clean');
  const clean = cleanAt >= 0 && Boolean(args.splice(cleanAt, 1));
  const [entity, rows, file] = args;
  if (!entity) {
    const root = path.resolve(__dirname, '../..');
    await writeSample('contacts', path.join(root, 'services/applicants/test/data/salesforce-contacts.csv'), 300, seed);
    await writeSample('listings', path.join(root, 'services/listings/test/data/salesforce-listings.csv'), 200, seed);
    console.log('wrote services/applicants/test/data/salesforce-contacts.csv (300 rows), services/listings/test/data/salesforce-listings.csv (200 rows)');
    return;
  }
  if ((entity !== 'contacts' && entity !== 'listings') || !Number(rows) || !file) throw new Error('usage: sample-salesforce.js [contacts|listings <rows> <file> [--seed N] [--clean]]');
  await writeSample(entity, file, Number(rows), seed, clean);
  console.log(`wrote ${file} (${rows} ${entity})`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
