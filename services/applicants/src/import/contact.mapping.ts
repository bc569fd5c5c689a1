import { type ColumnMapping, type CsvRow, type Mapping, CheckedRow, type Prepared, type Problem, contentHash, normalise as n } from '@pace/import';
import type { RequirementsView } from '../applicants/applicant.dto';
import { FURNISHINGS, PROPERTY_TYPES, SOURCES, type Source } from '../applicants/applicant.model';

/**
 * Salesforce/Propertybase Contact (or Lead) export columns → applicant fields. The requirement
 * columns are the buyer's/tenant's `pba__Request__c`, exported beside the contact as
 * `pba__Request__c.<field>` (a report on Contacts with Requests, or a Data Loader join).
 */
export const CONTACT_COLUMNS: ColumnMapping = {
  salesforceId: ['Id'],
  firstName: ['FirstName'],
  lastName: ['LastName'],
  phones: ['MobilePhone', 'Phone', 'HomePhone', 'OtherPhone'],
  emails: ['Email', 'pba__Email_2__c'],
  source: ['LeadSource'],
  status: ['Status', 'pba__Status__c'],
  ownerId: ['OwnerId'],
  preferredLanguage: ['Preferred_Language__c'],
  nationality: ['Nationality__c', 'pba__Nationality__c'],
  whatsappOptIn: ['WhatsApp_Opt_In__c'],
  emailOptOut: ['HasOptedOutOfEmail'],
  intent: ['pba__Request__c.pba__ListingType__c'],
  propertyTypes: ['pba__Request__c.pba__PropertyType__c'],
  bedroomsMin: ['pba__Request__c.pba__Bedrooms_pb_min__c'],
  bedroomsMax: ['pba__Request__c.pba__Bedrooms_pb_max__c'],
  budgetMin: ['pba__Request__c.pba__ListingPrice_pb_min__c'],
  budgetMax: ['pba__Request__c.pba__ListingPrice_pb_max__c'],
  communities: ['pba__Request__c.pba__Locations__c'],
  furnishing: ['pba__Request__c.Furnishing__c'],
  moveInDate: ['pba__Request__c.Move_In_Date__c'],
};

export const REQUIRED_CONTACT_FIELDS = ['salesforceId', 'lastName'];

/** What the import writes of a contact: the applicant's own fields, normalised. */
export interface ImportedApplicant extends RequirementsView {
  firstName: string;
  lastName: string;
  phones: string[];
  emails: string[];
  source: Source;
  status: string;
  lostReason: string | null;
  ownerId: string | null;
  preferredLanguage: string | null;
  nationality: string | null;
  whatsappOptIn: boolean;
  emailOptIn: boolean;
}

const key = (s: string) => s.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

const LEAD_SOURCES: Record<string, Source> = {
  'property finder': 'propertyfinder',
  propertyfinder: 'propertyfinder',
  pf: 'propertyfinder',
  bayut: 'bayut',
  dubizzle: 'bayut',
  website: 'website',
  web: 'website',
  'walk in': 'walk_in',
  walkin: 'walk_in',
  referral: 'referral',
  'employee referral': 'referral',
  'partner referral': 'referral',
};

/** Salesforce Lead/Contact statuses (standard + Propertybase's) → the pipeline. */
const STATUSES: Record<string, string> = {
  'open not contacted': 'new',
  new: 'new',
  open: 'new',
  'working contacted': 'contacted',
  contacted: 'contacted',
  working: 'contacted',
  qualified: 'qualified',
  'viewing scheduled': 'viewing',
  viewing: 'viewing',
  'offer made': 'offer',
  offer: 'offer',
  negotiation: 'offer',
  'closed converted': 'won',
  'closed won': 'won',
  won: 'won',
  'closed not converted': 'lost',
  'closed lost': 'lost',
  lost: 'lost',
  unqualified: 'lost',
};

const LANGUAGES: Record<string, string> = { english: 'en', arabic: 'ar', russian: 'ru', hindi: 'hi', urdu: 'ur', french: 'fr', german: 'de', chinese: 'zh', mandarin: 'zh', persian: 'fa', farsi: 'fa', tagalog: 'tl', 'العربية': 'ar' };

const NATIONALITIES: Record<string, string> = {
  emirati: 'AE', uae: 'AE', 'united arab emirates': 'AE', indian: 'IN', india: 'IN', pakistani: 'PK', pakistan: 'PK', british: 'GB', 'united kingdom': 'GB', uk: 'GB',
  russian: 'RU', russia: 'RU', egyptian: 'EG', egypt: 'EG', saudi: 'SA', 'saudi arabian': 'SA', 'saudi arabia': 'SA', lebanese: 'LB', lebanon: 'LB',
  jordanian: 'JO', jordan: 'JO', filipino: 'PH', philippines: 'PH', chinese: 'CN', china: 'CN', french: 'FR', france: 'FR', german: 'DE', germany: 'DE',
  american: 'US', 'united states': 'US', usa: 'US', canadian: 'CA', canada: 'CA', iranian: 'IR', iran: 'IR', italian: 'IT', italy: 'IT', kazakh: 'KZ',
};

const PROPERTY_TYPE_ALIASES: Record<string, string> = { flat: 'apartment', 'hotel apartment': 'apartment', 'town house': 'townhouse', 'villa/townhouse': 'villa', plot: 'land', shop: 'retail', 'office space': 'office' };

const FURNISHING_ALIASES: Record<string, string> = { furnished: 'furnished', unfurnished: 'unfurnished', 'semi furnished': 'partly', partly: 'partly', 'partly furnished': 'partly', any: '' };

/** Maps one contact row to an applicant, with every problem found (row, column, what). */
export function prepareContact(mapping: Mapping, csv: CsvRow): { prepared?: Prepared<ImportedApplicant>; problems: Problem[] } {
  const { row, problems, error, warn, cell } = new CheckedRow(mapping, csv);

  const salesforceId = cell('salesforceId', n.salesforceId(row.get('salesforceId')), 'error');
  if (!salesforceId && !problems.length) error('salesforceId', 'is empty: every record needs its Salesforce Id (the key of re-imports)');
  const firstName = cell('firstName', n.text(row.get('firstName'), 100)) ?? '';
  const lastName = cell('lastName', n.text(row.get('lastName'), 100), 'error') ?? '';
  if (!firstName && !lastName) error('lastName', 'no name (FirstName and LastName are empty)');

  const phones: string[] = [];
  for (const { column, value } of row.all('phones')) {
    const r = n.phone(value);
    if ('problem' in r) problems.push({ row: csv.row, column, problem: `${r.problem}; dropped`, severity: 'warning' });
    else if (r.value && !phones.includes(r.value)) phones.push(r.value);
  }
  const emails: string[] = [];
  for (const { column, value } of row.all('emails')) {
    const r = n.email(value);
    if ('problem' in r) problems.push({ row: csv.row, column, problem: `${r.problem}; dropped`, severity: 'warning' });
    else if (r.value && !emails.includes(r.value)) emails.push(r.value);
  }
  if (!phones.length && !emails.length) error('phones', 'no valid phone number or email: the CRM needs one way to reach the person');

  const rawSource = row.get('source');
  const source: Source = rawSource ? (LEAD_SOURCES[key(rawSource)] ?? 'import') : 'import';
  if (!SOURCES.includes(source)) warn('source', `unknown source "${rawSource}"`);

  const rawStatus = row.get('status');
  let status = 'new';
  if (rawStatus) {
    const mapped = STATUSES[key(rawStatus).replace(/ +/g, ' ')];
    if (mapped) status = mapped;
    else warn('status', `unknown status "${rawStatus}"; imported as new`);
  }
  const lostReason = status === 'lost' ? `Salesforce: ${rawStatus}` : null;

  const rawLanguage = row.get('preferredLanguage');
  let preferredLanguage: string | null = null;
  if (rawLanguage) {
    const k = key(rawLanguage);
    preferredLanguage = LANGUAGES[k] ?? (/^[a-z]{2}$/.test(k) ? k : null);
    if (!preferredLanguage) warn('preferredLanguage', `unknown language "${rawLanguage}"`);
  }
  const rawNationality = row.get('nationality');
  let nationality: string | null = null;
  if (rawNationality) {
    const k = key(rawNationality);
    nationality = NATIONALITIES[k] ?? (/^[a-z]{2}$/.test(k) ? k.toUpperCase() : null);
    if (!nationality) warn('nationality', `unknown nationality "${rawNationality}"`);
  }

  const whatsappOptIn = cell('whatsappOptIn', n.bool(row.get('whatsappOptIn'))) ?? false;
  const emailOptOut = cell('emailOptOut', n.bool(row.get('emailOptOut')));
  const rawIntent = row.get('intent');
  let intent: string | null = null;
  if (rawIntent) {
    const k = key(rawIntent);
    intent = ['sale', 'buy', 'purchase', 'sales'].includes(k) ? 'buy' : ['rent', 'rental', 'lease', 'let'].includes(k) ? 'rent' : null;
    if (!intent) warn('intent', `"${rawIntent}" is neither Sale nor Rent`);
  }
  const propertyTypes: string[] = [];
  for (const t of n.list(row.get('propertyTypes'))) {
    const k = PROPERTY_TYPE_ALIASES[key(t)] ?? key(t);
    if ((PROPERTY_TYPES as readonly string[]).includes(k)) {
      if (!propertyTypes.includes(k)) propertyTypes.push(k);
    } else warn('propertyTypes', `unknown property type "${t}"; dropped`);
  }
  const bedroomsMin = cell('bedroomsMin', n.integer(row.get('bedroomsMin'), 0, 20));
  const bedroomsMax = cell('bedroomsMax', n.integer(row.get('bedroomsMax'), 0, 20));
  const budgetMinFils = cell('budgetMin', n.money(row.get('budgetMin')));
  const budgetMaxFils = cell('budgetMax', n.money(row.get('budgetMax')));
  if (budgetMinFils !== null && budgetMaxFils !== null && budgetMinFils > budgetMaxFils) warn('budgetMax', 'maximum budget is below the minimum');
  const communities = [...new Set(n.list(row.get('communities')).map((c) => (n.community(c) as { value: string }).value))];
  const rawFurnishing = row.get('furnishing');
  let furnishing: string | null = null;
  if (rawFurnishing) {
    const f = FURNISHING_ALIASES[key(rawFurnishing)];
    if (f === undefined) warn('furnishing', `unknown furnishing "${rawFurnishing}"`);
    else furnishing = (FURNISHINGS as readonly string[]).includes(f) ? f : null;
  }
  const moveInDate = cell('moveInDate', n.date(row.get('moveInDate')));
  const rawOwner = row.get('ownerId');
  const ownerId = row.owner() ?? null;
  if (rawOwner && !ownerId && Object.keys(mapping.owners).length) warn('ownerId', `Salesforce user ${rawOwner} is not in the mapping's owners; imported unassigned`);

  if (problems.some((p) => p.severity === 'error') || !salesforceId) return { problems };
  const record: ImportedApplicant = {
    firstName,
    lastName,
    phones,
    emails,
    source,
    status,
    lostReason,
    ownerId,
    preferredLanguage,
    nationality,
    whatsappOptIn,
    emailOptIn: emailOptOut === null ? false : !emailOptOut,
    intent,
    propertyTypes,
    bedroomsMin,
    bedroomsMax,
    budgetMinFils,
    budgetMaxFils,
    communities,
    furnishing,
    moveInDate,
  };
  return { prepared: { row: csv.row, salesforceId, record, hash: contentHash(record as unknown as Record<string, unknown>) }, problems };
}
