import { type Portal, type ProjectedListing, imagesOf } from '../projection/listing.model';

/** One reason a listing may not go to a portal. */
export interface Problem {
  field: string;
  message: string;
  /** `error` blocks sending; `warning` is advice (e.g. Property Finder's quality score). */
  severity: 'error' | 'warning';
}

export const PF_TYPES = [
  'apartment', 'villa', 'townhouse', 'penthouse', 'duplex', 'hotel-apartment', 'full-floor', 'half-floor', 'whole-building', 'compound', 'bungalow',
  'land', 'farm', 'office-space', 'retail', 'shop', 'show-room', 'warehouse', 'factory', 'labor-camp', 'staff-accommodation', 'bulk-sale-unit',
  'bulk-rent-unit', 'business-center', 'co-working-space', 'medical-facility', 'restaurant', 'cafeteria', 'clinic',
] as const;

const RESIDENTIAL_AMENITIES = [
  'central-ac', 'built-in-wardrobes', 'kitchen-appliances', 'security', 'concierge', 'maid-service', 'balcony', 'private-gym', 'shared-gym',
  'private-jacuzzi', 'shared-spa', 'covered-parking', 'maids-room', 'study', 'childrens-play-area', 'pets-allowed', 'barbecue-area', 'shared-pool',
  'childrens-pool', 'private-garden', 'private-pool', 'view-of-water', 'view-of-landmark', 'walk-in-closet', 'lobby-in-building', 'vastu-compliant',
];
const COMMERCIAL_AMENITIES = ['shared-gym', 'covered-parking', 'networked', 'shared-pool', 'dining-in-building', 'conference-room', 'lobby-in-building', 'vastu-compliant'];
const PF_TYPES_BY_CATEGORY: Record<string, readonly string[]> = {
  residential: ['land', 'apartment', 'bulk-rent-unit', 'bulk-sale-unit', 'bungalow', 'compound', 'duplex', 'full-floor', 'half-floor', 'hotel-apartment', 'penthouse', 'townhouse', 'villa', 'whole-building'],
  commercial: ['farm', 'land', 'bulk-rent-unit', 'bulk-sale-unit', 'business-center', 'co-working-space', 'factory', 'full-floor', 'half-floor', 'labor-camp', 'office-space', 'retail', 'shop', 'show-room', 'staff-accommodation', 'villa', 'warehouse', 'whole-building'],
};

/** Bayut's `Property_Type` words for our (Property Finder) type slugs, per category. */
export function bayutPropertyType(category: string, type: string): string | undefined {
  const residential: Record<string, string> = {
    apartment: 'Apartment', duplex: 'Apartment', villa: 'Villa', bungalow: 'Villa', townhouse: 'Townhouse', penthouse: 'Penthouse',
    'hotel-apartment': 'Hotel Apartment', compound: 'Villa Compound', land: 'Residential Plot', 'full-floor': 'Residential Floor',
    'half-floor': 'Residential Floor', 'whole-building': 'Residential Building', 'bulk-sale-unit': 'Bulk Units', 'bulk-rent-unit': 'Bulk Units',
  };
  const commercial: Record<string, string> = {
    'office-space': 'Office', shop: 'Shop', warehouse: 'Warehouse', 'labor-camp': 'Labour Camp', 'staff-accommodation': 'Labour Camp',
    villa: 'Commercial Villa', 'bulk-sale-unit': 'Bulk Units', 'bulk-rent-unit': 'Bulk Units', land: 'Commercial Plot', farm: 'Commercial Plot',
    'full-floor': 'Commercial Floor', 'half-floor': 'Commercial Floor', 'whole-building': 'Commercial Building', factory: 'Factory',
    'show-room': 'Showroom', retail: 'Other Commercial', 'business-center': 'Other Commercial', 'co-working-space': 'Other Commercial',
    'medical-facility': 'Other Commercial', restaurant: 'Other Commercial', cafeteria: 'Other Commercial', clinic: 'Other Commercial',
  };
  return (category === 'commercial' ? commercial : residential)[type];
}

export const RENT_FREQUENCIES = ['yearly', 'monthly', 'weekly', 'daily'];
const FURNISHING = ['unfurnished', 'semi-furnished', 'furnished'];
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** Property Finder's API limits (specs/portals.md §2.8), applied to Bayut too until Bayut says otherwise. */
const IMAGE_BYTES = { min: 5 * 1024, max: 15 * 1024 * 1024 };
/** Advice only: the older PF feed spec's minimum; the API resizes larger images itself. */
const IMAGE_PIXELS = { width: 800, height: 600 };
const PERMIT_EMIRATES = ['dubai', 'abu_dhabi'];
const NO_ROOMS_TYPES = ['land', 'farm'];

/** Per-portal limits. Bayut publishes none: these are PACE's conservative choices (unverified). */
export const LIMITS = {
  propertyfinder: { titleMax: 50, titleGood: 30, descriptionMax: 2000, descriptionGood: 750, imagesMin: 1, imagesMax: 50 },
  bayut: { titleMax: 100, titleGood: 0, descriptionMax: 5000, descriptionGood: 0, imagesMin: 1, imagesMax: 50 },
  website: { titleMax: 200, titleGood: 0, descriptionMax: 10000, descriptionGood: 0, imagesMin: 1, imagesMax: 100 },
} as const;

// Emoji and pictographic symbols, which Property Finder rejects ("not yet supported").
const EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|\u{FE0F}|\u{20E3}/u;
const HTML = /<\/?[a-z][^>]*>|&[a-z]+;|&#\d+;/i;

/**
 * Everything that stops `listing` from going to `portal`, before anything is sent. Pure: the same
 * report is stored, served by the API, and decides whether the feed or the push may carry it.
 */
export function validateFor(portal: Portal, l: ProjectedListing, rules: { httpsMedia: boolean } = { httpsMedia: true }): Problem[] {
  const problems: Problem[] = [];
  const error = (field: string, message: string) => problems.push({ field, message, severity: 'error' });
  const warning = (field: string, message: string) => problems.push({ field, message, severity: 'warning' });
  const limits = LIMITS[portal];
  const noRooms = NO_ROOMS_TYPES.includes(l.propertyType);

  if (!l.reference) error('reference', 'a reference is required');
  if (!['sale', 'rent'].includes(l.purpose)) error('purpose', `purpose must be sale or rent, not "${l.purpose}"`);
  if (l.purpose === 'rent' && !RENT_FREQUENCIES.includes(l.rentFrequency)) error('rentFrequency', 'a rental needs a rent frequency (yearly, monthly, weekly or daily)');
  if (l.priceFils === null || l.priceFils <= 0) error('price', 'a price is required');
  if (!l.sizeSqft || l.sizeSqft <= 0) error('size', 'the size (sqft) is required');
  if (!l.community) error('location.community', 'the community is required');
  if (!l.titleEn.trim()) error('title.en', 'an English title is required');
  else if (l.titleEn.length > limits.titleMax) error('title.en', `the English title has ${l.titleEn.length} characters; at most ${limits.titleMax} are allowed`);
  if (l.titleAr.length > limits.titleMax) error('title.ar', `the Arabic title has ${l.titleAr.length} characters; at most ${limits.titleMax} are allowed`);
  if (!l.descriptionEn.trim()) error('description.en', 'an English description is required');
  else if (l.descriptionEn.length > limits.descriptionMax) error('description.en', `the English description has ${l.descriptionEn.length} characters; at most ${limits.descriptionMax} are allowed`);
  if (l.descriptionAr.length > limits.descriptionMax) error('description.ar', `the Arabic description has ${l.descriptionAr.length} characters; at most ${limits.descriptionMax} are allowed`);
  if (l.furnishing && !FURNISHING.includes(l.furnishing)) error('furnishing', `furnishing must be one of ${FURNISHING.join(', ')}`);
  if (!noRooms && l.category === 'residential' && l.bedrooms === null) error('bedrooms', 'bedrooms are required (0 for a studio)');
  if (!noRooms && l.bathrooms === null) error('bathrooms', 'bathrooms are required');

  if (PERMIT_EMIRATES.includes(l.emirate)) {
    if (!l.permit?.number) error('permit.number', `an advertising permit is required in ${l.emirate}`);
    else if (l.permit.expiryDate && l.permit.expiryDate < new Date(Date.now() + 4 * 3600_000).toISOString().slice(0, 10)) {
      error('permit.expiryDate', `the permit expired on ${l.permit.expiryDate}`);
    }
  }

  const images = imagesOf(l);
  if (images.length < limits.imagesMin) error('media', `at least ${limits.imagesMin} image is required`);
  if (images.length > limits.imagesMax) error('media', `${images.length} images; at most ${limits.imagesMax} are allowed`);
  images.forEach((image, i) => {
    if (!(rules.httpsMedia ? /^https:\/\/[^/]+\//i : /^https?:\/\/[^/]+\//i).test(image.url)) {
      error(`media.${i}.url`, `image ${i + 1} must have a public ${rules.httpsMedia ? 'HTTPS ' : ''}URL the portal can download (${image.url || 'none'})`);
    }
    if (image.contentType && !IMAGE_TYPES.includes(image.contentType)) error(`media.${i}.contentType`, `image ${i + 1} is ${image.contentType}; portals take JPEG, PNG or WebP`);
    // Sizes are known for uploads since they were read (0: an older snapshot, not checked).
    if (image.sizeBytes > 0 && image.sizeBytes < IMAGE_BYTES.min) error(`media.${i}.size`, `image ${i + 1} is ${image.sizeBytes} bytes; portals take images of at least 5 KB`);
    if (image.sizeBytes > IMAGE_BYTES.max) error(`media.${i}.size`, `image ${i + 1} is ${(image.sizeBytes / 1048576).toFixed(1)} MB; portals take images of at most 15 MB`);
    if (image.width > 0 && image.height > 0) {
      if (image.width < image.height) warning(`media.${i}.dimensions`, `image ${i + 1} is portrait (${image.width}×${image.height}); portals show landscape images best`);
      if (image.width < IMAGE_PIXELS.width || image.height < IMAGE_PIXELS.height) {
        warning(`media.${i}.dimensions`, `image ${i + 1} is ${image.width}×${image.height}; at least ${IMAGE_PIXELS.width}×${IMAGE_PIXELS.height} looks sharp on the portals`);
      }
    }
  });

  if (portal === 'propertyfinder') {
    if (!['residential', 'commercial'].includes(l.category)) error('category', 'category must be residential or commercial');
    else if (!PF_TYPES_BY_CATEGORY[l.category]!.includes(l.propertyType)) error('propertyType', `Property Finder has no ${l.category} "${l.propertyType}"`);
    const allowed = l.category === 'commercial' ? COMMERCIAL_AMENITIES : RESIDENTIAL_AMENITIES;
    const amenitiesAllowed = noRooms ? [] : allowed;
    for (const amenity of l.amenities) if (!amenitiesAllowed.includes(amenity)) error('amenities', `amenity "${amenity}" is not allowed for a ${l.category} ${l.propertyType} on Property Finder`);
    if (!l.furnishing) error('furnishing', 'Property Finder requires the furnishing');
    for (const [field, text] of [['title.en', l.titleEn], ['title.ar', l.titleAr], ['description.en', l.descriptionEn], ['description.ar', l.descriptionAr]] as const) {
      if (EMOJI.test(text)) error(field, 'Property Finder rejects emojis and symbols in titles and descriptions');
      if (HTML.test(text)) error(field, 'Property Finder rejects HTML in titles and descriptions');
    }
    if (l.bedrooms !== null && (l.bedrooms < 0 || l.bedrooms > 30)) error('bedrooms', 'Property Finder takes 0 (studio) to 30 bedrooms');
    if (l.bathrooms !== null && (l.bathrooms < 0 || l.bathrooms > 20)) error('bathrooms', 'Property Finder takes 0 to 20 bathrooms');
    if (l.titleEn && l.titleEn.length < limits.titleGood) warning('title.en', `titles of ${limits.titleGood}–${limits.titleMax} characters score higher on Property Finder`);
    if (l.descriptionEn && l.descriptionEn.length < limits.descriptionGood) warning('description.en', `descriptions of ${limits.descriptionGood}–${limits.descriptionMax} characters score higher on Property Finder`);
  }
  if (portal === 'bayut') {
    if (!bayutPropertyType(l.category, l.propertyType)) error('propertyType', `Bayut has no ${l.category} "${l.propertyType}"`);
    if (!EMIRATE_NAMES[l.emirate]) error('location.emirate', `unknown emirate "${l.emirate}"`);
  }
  return problems;
}

export const blocking = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

export const EMIRATE_NAMES: Record<string, string> = {
  dubai: 'Dubai', abu_dhabi: 'Abu Dhabi', sharjah: 'Sharjah', ajman: 'Ajman', ras_al_khaimah: 'Ras Al Khaimah', umm_al_quwain: 'Umm Al Quwain', fujairah: 'Fujairah',
};

/** One line for logs and the publication's message. */
export function summarize(problems: Problem[]): string {
  return blocking(problems).map((p) => `${p.field}: ${p.message}`).join('; ');
}
