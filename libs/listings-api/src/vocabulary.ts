/**
 * The listing's vocabulary. Enumerations follow the Property Finder Enterprise API (the strictest
 * portal, see specs/portals.md §2.4–2.5); syndication maps them to Bayut's names.
 */
export const PURPOSES = ['sale', 'rent'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const RENT_FREQUENCIES = ['yearly', 'monthly', 'weekly', 'daily'] as const;
export type RentFrequency = (typeof RENT_FREQUENCIES)[number];

export const CATEGORIES = ['residential', 'commercial'] as const;
export type Category = (typeof CATEGORIES)[number];

/** PF `type` values for UAE listings (PF-API §2.4, without the non-UAE ones). */
export const PROPERTY_TYPES = [
  'apartment',
  'villa',
  'townhouse',
  'penthouse',
  'duplex',
  'hotel-apartment',
  'full-floor',
  'half-floor',
  'whole-building',
  'compound',
  'bungalow',
  'land',
  'farm',
  'office-space',
  'retail',
  'shop',
  'show-room',
  'warehouse',
  'factory',
  'labor-camp',
  'staff-accommodation',
  'bulk-sale-unit',
  'bulk-rent-unit',
  'business-center',
  'co-working-space',
  'medical-facility',
  'restaurant',
  'cafeteria',
  'clinic',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** PF-API §2.5: which types each category allows on a UAE listing. */
export const TYPES_BY_CATEGORY: Record<Category, readonly PropertyType[]> = {
  residential: [
    'land',
    'apartment',
    'bulk-rent-unit',
    'bulk-sale-unit',
    'bungalow',
    'compound',
    'duplex',
    'full-floor',
    'half-floor',
    'hotel-apartment',
    'penthouse',
    'townhouse',
    'villa',
    'whole-building',
  ],
  commercial: [
    'farm',
    'land',
    'bulk-rent-unit',
    'bulk-sale-unit',
    'business-center',
    'co-working-space',
    'factory',
    'full-floor',
    'half-floor',
    'labor-camp',
    'office-space',
    'retail',
    'shop',
    'show-room',
    'staff-accommodation',
    'villa',
    'warehouse',
    'whole-building',
    'medical-facility',
    'restaurant',
    'cafeteria',
    'clinic',
  ],
};

export const RESIDENTIAL_AMENITIES = [
  'central-ac',
  'built-in-wardrobes',
  'kitchen-appliances',
  'security',
  'concierge',
  'maid-service',
  'balcony',
  'private-gym',
  'shared-gym',
  'private-jacuzzi',
  'shared-spa',
  'covered-parking',
  'maids-room',
  'study',
  'childrens-play-area',
  'pets-allowed',
  'barbecue-area',
  'shared-pool',
  'childrens-pool',
  'private-garden',
  'private-pool',
  'view-of-water',
  'view-of-landmark',
  'walk-in-closet',
  'lobby-in-building',
  'vastu-compliant',
] as const;
export const COMMERCIAL_AMENITIES = [
  'shared-gym',
  'covered-parking',
  'networked',
  'shared-pool',
  'dining-in-building',
  'conference-room',
  'lobby-in-building',
  'vastu-compliant',
] as const;
export const AMENITIES = [...new Set([...RESIDENTIAL_AMENITIES, ...COMMERCIAL_AMENITIES])] as [string, ...string[]];

/** PF-API §2.5: land and farms take no amenities; otherwise the category's list. */
export function amenitiesAllowed(category: Category, type: PropertyType): readonly string[] {
  if (type === 'land' || type === 'farm') return [];
  return category === 'residential' ? RESIDENTIAL_AMENITIES : COMMERCIAL_AMENITIES;
}

export const FURNISHINGS = ['unfurnished', 'semi-furnished', 'furnished'] as const;
export type Furnishing = (typeof FURNISHINGS)[number];

export const COMPLETION_STATUSES = ['ready', 'off_plan'] as const;
export type CompletionStatus = (typeof COMPLETION_STATUSES)[number];

export const EMIRATES = ['dubai', 'abu_dhabi', 'sharjah', 'ajman', 'ras_al_khaimah', 'umm_al_quwain', 'fujairah'] as const;
export type Emirate = (typeof EMIRATES)[number];

/**
 * rera: Dubai DLD/RERA advertising permit (Trakheesi); dtcm: Dubai holiday-home permit;
 * adrec: Abu Dhabi ADREC permit (specs/portals.md §2.4 `compliance.type`, §2.6).
 */
export const PERMIT_TYPES = ['rera', 'dtcm', 'adrec'] as const;
export type PermitType = (typeof PERMIT_TYPES)[number];

export const PORTALS = ['propertyfinder', 'bayut', 'website'] as const;
export type Portal = (typeof PORTALS)[number];

export const STATUSES = ['draft', 'pending_approval', 'approved', 'published', 'under_offer', 'sold', 'rented', 'withdrawn', 'expired'] as const;
export type ListingStatus = (typeof STATUSES)[number];

export const MEDIA_KINDS = ['image', 'floor_plan'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Land and farms have no bathrooms (PF requires `bathrooms` unless the type is land or farm). */
export const hasRooms = (type: PropertyType): boolean => type !== 'land' && type !== 'farm';

/** Lifecycle actions (the table of moves is the listings service's `lifecycle.ts`). */
export const ACTIONS = [
  'submit',
  'approve',
  'reject',
  'publish',
  'unpublish',
  'mark_under_offer',
  'reopen',
  'mark_sold',
  'mark_rented',
  'withdraw',
  'expire',
  'relist',
] as const;
export type Action = (typeof ACTIONS)[number];
