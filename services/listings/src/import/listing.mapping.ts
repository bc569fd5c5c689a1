import {
  type Category,
  type CompletionStatus,
  type Furnishing,
  type ListingStatus,
  type PermitType,
  type PropertyType,
  type Purpose,
  type RentFrequency,
  PROPERTY_TYPES,
  RENT_FREQUENCIES,
  TYPES_BY_CATEGORY,
} from '@pace/listings-api';
import { type ColumnMapping, type CsvRow, type Mapping, CheckedRow, type Prepared, type Problem, contentHash, normalise as n } from '@pace/import';

/** Propertybase `pba__Listing__c` export columns → listing fields (override with --mapping). */
export const LISTING_COLUMNS: ColumnMapping = {
  salesforceId: ['Id'],
  titleEn: ['Name'],
  titleAr: ['Title_Arabic__c'],
  descriptionEn: ['pba__Description_pb__c'],
  descriptionAr: ['Description_Arabic__c'],
  purpose: ['pba__ListingType__c'],
  rentFrequency: ['Rent_Frequency__c'],
  propertyType: ['pba__PropertyType__c'],
  category: ['Category__c'],
  status: ['pba__Status__c'],
  price: ['pba__ListingPrice_pb__c'],
  bedrooms: ['pba__Bedrooms_pb__c'],
  bathrooms: ['pba__FullBathrooms_pb__c'],
  size: ['pba__TotalArea_pb__c'],
  plotSize: ['pba__LotSize_pb__c'],
  emirate: ['pba__State_pb__c', 'pba__City_pb__c'],
  community: ['pba__Community_pb__c', 'pba__Area_pb__c'],
  subCommunity: ['pba__SubCommunity_pb__c'],
  building: ['pba__Building_pb__c', 'pba__Address_pb__c'],
  furnishing: ['Furnished__c'],
  completionStatus: ['Completion_Status__c'],
  permitNumber: ['Permit_Number__c'],
  permitExpiryDate: ['Permit_Expiry_Date__c'],
  landlordName: ['Landlord_Name__c'],
  landlordPhone: ['Landlord_Phone__c'],
  landlordEmail: ['Landlord_Email__c'],
  ownerId: ['OwnerId'],
};

export const REQUIRED_LISTING_FIELDS = ['salesforceId', 'purpose', 'propertyType', 'emirate', 'community'];

export interface ImportedListing {
  status: ListingStatus;
  purpose: Purpose;
  rentFrequency: RentFrequency | null;
  category: Category;
  propertyType: PropertyType;
  priceFils: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  size: number | null;
  plotSize: number | null;
  emirate: string;
  community: string;
  subCommunity: string | null;
  building: string | null;
  titleEn: string | null;
  titleAr: string | null;
  descriptionEn: string | null;
  descriptionAr: string | null;
  furnishing: Furnishing | null;
  completionStatus: CompletionStatus;
  permitNumber: string | null;
  permitType: PermitType | null;
  permitExpiryDate: string | null;
  landlordName: string | null;
  landlordPhone: string | null;
  landlordEmail: string | null;
  agentId: string;
}

const key = (s: string) => s.trim().toLowerCase().replace(/[\s_]+/g, ' ');

const TYPE_ALIASES: Record<string, PropertyType> = {
  flat: 'apartment',
  apartment: 'apartment',
  studio: 'apartment',
  'town house': 'townhouse',
  office: 'office-space',
  'office space': 'office-space',
  shop: 'shop',
  retail: 'retail',
  'hotel apartment': 'hotel-apartment',
  plot: 'land',
  'land plot': 'land',
  'full floor': 'full-floor',
  'half floor': 'half-floor',
  'whole building': 'whole-building',
  'show room': 'show-room',
  showroom: 'show-room',
};

/**
 * Propertybase statuses → the lifecycle. "Active" (on the portals in Salesforce) becomes
 * `approved`, not `published`: a migration must not push thousands of listings to the portals
 * behind the agents' backs; an agent publishes (with the permit checks) when ready.
 */
const STATUSES: Record<string, ListingStatus> = {
  active: 'approved',
  available: 'approved',
  approved: 'approved',
  draft: 'draft',
  new: 'draft',
  'in preparation': 'draft',
  'pending approval': 'pending_approval',
  'under offer': 'under_offer',
  reserved: 'under_offer',
  sold: 'sold',
  rented: 'rented',
  leased: 'rented',
  withdrawn: 'withdrawn',
  inactive: 'withdrawn',
  'off market': 'withdrawn',
  expired: 'expired',
};

const FURNISHING: Record<string, Furnishing> = { yes: 'furnished', furnished: 'furnished', no: 'unfurnished', unfurnished: 'unfurnished', 'semi furnished': 'semi-furnished', 'semi-furnished': 'semi-furnished', partly: 'semi-furnished' };

export function prepareListing(mapping: Mapping, csv: CsvRow, defaultAgentId: string | undefined): { prepared?: Prepared<ImportedListing>; problems: Problem[] } {
  const { row, problems, error, warn, cell } = new CheckedRow(mapping, csv);
  const required = <T>(field: string, value: T | null, what: string): T | null => {
    if (value === null && !problems.some((p) => p.column === row.column(field))) error(field, `is empty: ${what}`);
    return value;
  };

  const salesforceId = required('salesforceId', cell('salesforceId', n.salesforceId(row.get('salesforceId')), 'error'), 'every record needs its Salesforce Id');
  const rawPurpose = row.get('purpose');
  const purpose: Purpose | null = rawPurpose ? (['sale', 'sales', 'sell', 'buy'].includes(key(rawPurpose)) ? 'sale' : ['rent', 'rental', 'lease', 'let'].includes(key(rawPurpose)) ? 'rent' : null) : null;
  if (rawPurpose && !purpose) error('purpose', `"${rawPurpose}" is neither Sale nor Rent`);
  else required('purpose', purpose, 'Sale or Rent');
  let rentFrequency: RentFrequency | null = null;
  if (purpose === 'rent') {
    const raw = row.get('rentFrequency');
    const k = raw ? key(raw).replace(/^per /, '').replace(/^(year|annual|annually)$/, 'yearly').replace(/^month$/, 'monthly').replace(/^week$/, 'weekly').replace(/^day$/, 'daily') : 'yearly';
    // Dubai rents are quoted per year unless said otherwise.
    if ((RENT_FREQUENCIES as readonly string[]).includes(k)) rentFrequency = k as RentFrequency;
    else error('rentFrequency', `"${raw}" is not yearly, monthly, weekly or daily`);
  }
  const rawType = row.get('propertyType');
  let propertyType: PropertyType | null = null;
  if (rawType) {
    const k = key(rawType);
    propertyType = TYPE_ALIASES[k] ?? ((PROPERTY_TYPES as readonly string[]).includes(k.replace(/ /g, '-')) ? (k.replace(/ /g, '-') as PropertyType) : null);
    if (!propertyType) error('propertyType', `unknown property type "${rawType}"`);
  } else required('propertyType', null, 'Apartment, Villa, Office, …');
  const rawCategory = row.get('category');
  let category: Category = propertyType && !TYPES_BY_CATEGORY.residential.includes(propertyType) ? 'commercial' : 'residential';
  if (rawCategory) {
    const k = key(rawCategory);
    if (k === 'commercial' || k === 'residential') category = k;
    else warn('category', `"${rawCategory}" is neither Residential nor Commercial; guessed ${category}`);
  }
  if (propertyType && !TYPES_BY_CATEGORY[category].includes(propertyType)) error('propertyType', `"${propertyType}" is not a ${category} property type`);
  const rawStatus = row.get('status');
  let status: ListingStatus = 'draft';
  if (rawStatus) {
    const s = STATUSES[key(rawStatus)];
    if (s) status = s;
    else warn('status', `unknown status "${rawStatus}"; imported as draft`);
  }
  const priceFils = cell('price', n.money(row.get('price'))); // "Call for price": imported without a price
  const bedrooms = cell('bedrooms', n.integer(row.get('bedrooms'), 0, 50));
  const bathrooms = cell('bathrooms', n.integer(row.get('bathrooms'), 0, 50));
  const size = cell('size', n.decimal(row.get('size'), 1, 10_000_000));
  const plotSize = cell('plotSize', n.decimal(row.get('plotSize'), 1, 100_000_000));
  const emirate = required('emirate', cell('emirate', n.emirate(row.get('emirate')), 'error'), 'the emirate (Dubai, Abu Dhabi, …)');
  const community = required('community', cell('community', n.community(row.get('community')), 'error'), 'the community (Dubai Marina, …)');
  const subCommunity = cell('subCommunity', n.community(row.get('subCommunity')));
  const building = cell('building', n.text(row.get('building'), 200));
  const titleEn = cell('titleEn', n.text(row.get('titleEn'), 200));
  const titleAr = cell('titleAr', n.text(row.get('titleAr'), 200));
  const descriptionEn = cell('descriptionEn', n.longText(row.get('descriptionEn')));
  const descriptionAr = cell('descriptionAr', n.longText(row.get('descriptionAr')));
  const rawFurnishing = row.get('furnishing');
  const furnishing = rawFurnishing ? (FURNISHING[key(rawFurnishing)] ?? null) : null;
  if (rawFurnishing && !furnishing) warn('furnishing', `unknown furnishing "${rawFurnishing}"`);
  const rawCompletion = row.get('completionStatus');
  const completionStatus: CompletionStatus = rawCompletion && /off.?plan|under construction/i.test(rawCompletion) ? 'off_plan' : 'ready';
  const permitNumber = cell('permitNumber', n.text(row.get('permitNumber'), 40));
  const permitExpiryDate = cell('permitExpiryDate', n.date(row.get('permitExpiryDate')));
  const permitType: PermitType | null = permitNumber ? (emirate === 'abu_dhabi' ? 'adrec' : 'rera') : null;
  const landlordName = cell('landlordName', n.text(row.get('landlordName'), 200));
  const landlordPhone = cell('landlordPhone', n.phone(row.get('landlordPhone')));
  const landlordEmail = cell('landlordEmail', n.email(row.get('landlordEmail')));
  const rawOwner = row.get('ownerId');
  const agentId = row.owner() ?? defaultAgentId ?? null;
  if (!agentId) error('ownerId', `no PACE agent for Salesforce owner ${rawOwner ?? '(empty)'}: map it in the mapping's "owners" or pass --agent <user id>`);

  if (problems.some((p) => p.severity === 'error') || !salesforceId || !purpose || !propertyType || !emirate || !community || !agentId) return { problems };
  const record: ImportedListing = {
    status,
    purpose,
    rentFrequency,
    category,
    propertyType,
    priceFils,
    bedrooms,
    bathrooms,
    size,
    plotSize,
    emirate,
    community,
    subCommunity,
    building,
    titleEn,
    titleAr,
    descriptionEn,
    descriptionAr,
    furnishing,
    completionStatus,
    permitNumber,
    permitType,
    permitExpiryDate,
    landlordName,
    landlordPhone,
    landlordEmail,
    agentId,
  };
  return { prepared: { row: csv.row, salesforceId, record, hash: contentHash(record as unknown as Record<string, unknown>) }, problems };
}
