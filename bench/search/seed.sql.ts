/**
 * 100k listings shaped like a Dubai brokerage's book: 30 communities (most in Dubai), the usual
 * mix of apartments, villas and townhouses, studios to 6 bedrooms, sale and yearly rent, prices
 * by community and size, 200 agents in 20 teams, English titles and descriptions (Arabic on a
 * third), and two thirds of the book published. Seeded with setseed() so every run has the same book.
 */
export const COMMUNITIES: [string, string, number][] = [
  ['dubai', 'Dubai Marina', 1.4],
  ['dubai', 'Downtown Dubai', 1.8],
  ['dubai', 'Palm Jumeirah', 2.6],
  ['dubai', 'Jumeirah Village Circle', 0.6],
  ['dubai', 'Business Bay', 1.2],
  ['dubai', 'Dubai Hills Estate', 1.5],
  ['dubai', 'Arabian Ranches', 1.3],
  ['dubai', 'Jumeirah Lake Towers', 0.9],
  ['dubai', 'Jumeirah Beach Residence', 1.5],
  ['dubai', 'Dubai Creek Harbour', 1.3],
  ['dubai', 'Al Barsha', 0.8],
  ['dubai', 'Mirdif', 0.7],
  ['dubai', 'Damac Hills', 0.8],
  ['dubai', 'Town Square', 0.6],
  ['dubai', 'Emaar Beachfront', 1.9],
  ['dubai', 'City Walk', 1.7],
  ['dubai', 'Meydan', 1.0],
  ['dubai', 'Motor City', 0.7],
  ['dubai', 'Dubai Sports City', 0.55],
  ['dubai', 'Al Furjan', 0.75],
  ['dubai', 'Discovery Gardens', 0.5],
  ['dubai', 'International City', 0.35],
  ['dubai', 'Dubai South', 0.5],
  ['dubai', 'Jumeirah Golf Estates', 1.6],
  ['dubai', 'Bluewaters Island', 2.2],
  ['abu_dhabi', 'Al Reem Island', 0.9],
  ['abu_dhabi', 'Saadiyat Island', 1.6],
  ['abu_dhabi', 'Yas Island', 1.0],
  ['sharjah', 'Al Majaz', 0.4],
  ['sharjah', 'Al Nahda', 0.35],
];

export function seedSql(count: number): string {
  const communities = COMMUNITIES.map(([e, c, m]) => `('${e}', '${c.replace(/'/g, "''")}', ${m})`).join(',\n    ');
  return `
SELECT setseed(0.42);
WITH community(emirate, name, factor, n) AS (
  SELECT *, row_number() OVER () - 1 FROM (VALUES
    ${communities}
  ) v
),
base AS (
  SELECT g,
    -- A few communities hold most of the stock, as in life.
    floor(power(random(), 1.6) * ${COMMUNITIES.length})::int AS c,
    random() AS r_type, random() AS r_beds, random() AS r_purpose, random() AS r_status, random() AS r_price,
    random() AS r_text, floor(random() * 200)::int AS agent, random() AS r_age
  FROM generate_series(1, ${count}) g
),
shaped AS (
  SELECT b.*, c.emirate, c.name AS community, c.factor,
    CASE WHEN r_type < 0.70 THEN 'apartment' WHEN r_type < 0.85 THEN 'villa' WHEN r_type < 0.95 THEN 'townhouse' ELSE 'penthouse' END AS ptype,
    CASE WHEN r_purpose < 0.55 THEN 'sale' ELSE 'rent' END AS purpose
  FROM base b JOIN community c ON c.n = b.c
),
sized AS (
  SELECT s.*,
    CASE WHEN ptype = 'apartment' THEN floor(r_beds * 4)::int WHEN ptype = 'penthouse' THEN 3 + floor(r_beds * 3)::int ELSE 2 + floor(r_beds * 5)::int END AS beds
  FROM shaped s
)
INSERT INTO listings.listing (id, reference, status, purpose, rent_frequency, category, property_type, price_fils, currency, bedrooms, bathrooms,
  size, size_unit, emirate, community, title_en, title_ar, description_en, amenities, furnishing, completion_status, permit_number, permit_type,
  permit_issue_date, permit_expiry_date, landlord_name, landlord_phone, agent_id, team_id, portals, created_by, created_at, updated_at,
  status_changed_at, published_at, version)
SELECT gen_random_uuid(),
  'ALS-' || CASE WHEN purpose = 'sale' THEN 'S' ELSE 'R' END || '-' || lpad((1000 + g)::text, 6, '0'),
  CASE WHEN r_status < 0.65 THEN 'published' WHEN r_status < 0.75 THEN 'draft' WHEN r_status < 0.80 THEN 'pending_approval'
       WHEN r_status < 0.84 THEN 'approved' WHEN r_status < 0.88 THEN 'under_offer' WHEN r_status < 0.94 THEN CASE WHEN purpose = 'sale' THEN 'sold' ELSE 'rented' END
       WHEN r_status < 0.97 THEN 'withdrawn' ELSE 'expired' END,
  purpose, CASE WHEN purpose = 'rent' THEN 'yearly' END, 'residential', ptype,
  -- Sale around AED 0.9M per bedroom-and-a-bit, scaled by community; rent about 6% a year.
  (round(((beds + 1) * 900000 * factor * (0.75 + r_price * 0.5) * CASE WHEN purpose = 'rent' THEN 0.06 ELSE 1 END) / 1000) * 1000 * 100)::bigint,
  'AED', beds, GREATEST(1, beds + 1 - floor(r_price * 2)::int),
  round((450 + beds * 520 + r_price * 400) * CASE WHEN ptype = 'apartment' THEN 1 ELSE 1.8 END), 'sqft',
  emirate, community,
  CASE WHEN beds = 0 THEN 'Studio' ELSE beds || '-bedroom ' || ptype END || ' in ' || community ||
    (ARRAY[' with sea view', ' near the metro', ', vacant on transfer', ', upgraded', ' with private garden', ', high floor'])[1 + floor(r_text * 6)::int],
  CASE WHEN r_text < 0.33 THEN (ARRAY['شقة', 'فيلا', 'تاون هاوس', 'بنتهاوس'])[1 + floor(r_type * 3.99)::int] || ' في ' || community END,
  (ARRAY['Bright unit with open views and a balcony.', 'Family home close to schools and parks.', 'Well maintained, chiller free, ready to move in.',
         'Investor deal with a tenant in place.', 'Fully furnished with premium finishes.', 'Walking distance to the beach and restaurants.'])[1 + floor(r_price * 6)::int],
  ARRAY['balcony', 'central-ac', 'shared-pool']::text[], 'unfurnished', 'ready',
  CASE WHEN emirate IN ('dubai', 'abu_dhabi') THEN (7100000000 + g)::text END, CASE WHEN emirate = 'dubai' THEN 'rera' WHEN emirate = 'abu_dhabi' THEN 'adrec' END,
  CASE WHEN emirate IN ('dubai', 'abu_dhabi') THEN current_date - 30 END, CASE WHEN emirate IN ('dubai', 'abu_dhabi') THEN current_date + 300 END,
  'Owner ' || g, '+9715' || lpad((g % 100000000)::text, 8, '0'),
  ('01900000-0000-7000-8000-' || lpad(to_hex(1 + agent), 12, '0'))::uuid,
  ('01900000-0000-7000-8000-' || lpad(to_hex(4096 + agent % 20), 12, '0'))::uuid,
  ARRAY['bayut', 'propertyfinder', 'website']::text[],
  ('01900000-0000-7000-8000-' || lpad(to_hex(1 + agent), 12, '0'))::uuid,
  now() - (r_age * interval '720 days'), now() - (r_age * interval '360 days'), now() - (r_age * interval '360 days'),
  CASE WHEN r_status < 0.65 THEN now() - (r_age * interval '300 days') END, 1
FROM sized;
SELECT setval('listings.listing_reference_seq', ${1000 + count});
ANALYZE listings.listing;
`;
}

/** Agent n (0–199) and team t (0–19) ids as the seed writes them. */
export const agentId = (n: number) => `01900000-0000-7000-8000-${(1 + n).toString(16).padStart(12, '0')}`;
export const teamId = (t: number) => `01900000-0000-7000-8000-${(4096 + t).toString(16).padStart(12, '0')}`;
