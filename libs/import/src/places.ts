/**
 * Canonical emirate and community names, with the variants Salesforce data is full of (case,
 * abbreviations, Arabic transliterations, old developer names). Unknown communities are kept,
 * title-cased and with their spaces tidied: a missing alias should cost a clean-up, not a row.
 */
export const EMIRATE_ALIASES: Record<string, string> = {
  dubai: 'dubai',
  dxb: 'dubai',
  'abu dhabi': 'abu_dhabi',
  abudhabi: 'abu_dhabi',
  auh: 'abu_dhabi',
  sharjah: 'sharjah',
  shj: 'sharjah',
  ajman: 'ajman',
  'ras al khaimah': 'ras_al_khaimah',
  'ras al-khaimah': 'ras_al_khaimah',
  rak: 'ras_al_khaimah',
  'umm al quwain': 'umm_al_quwain',
  'umm al-quwain': 'umm_al_quwain',
  uaq: 'umm_al_quwain',
  fujairah: 'fujairah',
  'al fujairah': 'fujairah',
  دبي: 'dubai',
  'أبو ظبي': 'abu_dhabi',
  'ابوظبي': 'abu_dhabi',
  الشارقة: 'sharjah',
  عجمان: 'ajman',
};

/** Canonical name → its variants (matched after lower-casing and dropping punctuation). */
const COMMUNITIES: Record<string, string[]> = {
  'Dubai Marina': ['marina', 'marsa dubai', 'dubai marina walk'],
  'Jumeirah Beach Residence': ['jbr', 'jumeirah beach residences'],
  'Jumeirah Lake Towers': ['jlt', 'jumeirah lakes towers'],
  'Jumeirah Village Circle': ['jvc'],
  'Jumeirah Village Triangle': ['jvt'],
  'Downtown Dubai': ['downtown', 'downtown burj khalifa', 'burj khalifa district'],
  'Business Bay': [],
  'Palm Jumeirah': ['the palm', 'palm', 'the palm jumeirah'],
  'Dubai Hills Estate': ['dubai hills', 'dhe'],
  'Arabian Ranches': [],
  'Arabian Ranches 2': ['arabian ranches ii'],
  'Emirates Hills': [],
  'The Springs': ['springs'],
  'The Meadows': ['meadows'],
  'The Greens': ['greens'],
  'The Lakes': ['lakes'],
  'Dubai Silicon Oasis': ['dso', 'silicon oasis'],
  'Dubai Sports City': ['sports city'],
  'Motor City': [],
  'International City': [],
  'Discovery Gardens': [],
  'Al Barsha': ['barsha', 'al barsha 1'],
  'Al Furjan': ['furjan'],
  'Mirdif': ['mirdiff', 'mirdif hills'],
  'Deira': [],
  'Bur Dubai': [],
  'DIFC': ['dubai international financial centre', 'difc dubai'],
  'Dubai Creek Harbour': ['creek harbour', 'dubai creek harbour the lagoons', 'the lagoons'],
  'Town Square': ['town square dubai'],
  'Damac Hills': ['akoya', 'akoya oxygen'],
  'Al Reem Island': ['reem island', 'reem'],
  'Saadiyat Island': ['saadiyat'],
  'Yas Island': ['yas'],
  'Khalifa City': ['khalifa city a'],
  'Al Majaz': ['majaz'],
  'Al Nahda': ['nahda'],
  'Al Khan': [],
  'Aljada': ['al jada'],
  'Al Hamra Village': ['al hamra'],
  'Mina Al Arab': [],
};

const squash = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’'`.,()_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const COMMUNITY_INDEX = new Map<string, string>();
for (const [canonical, variants] of Object.entries(COMMUNITIES)) {
  for (const v of [canonical, ...variants]) COMMUNITY_INDEX.set(squash(v), canonical);
}

export function canonicalEmirate(raw: string): string | undefined {
  const key = squash(raw).replace(/^emirate of /, '');
  return EMIRATE_ALIASES[key] ?? EMIRATE_ALIASES[key.replace(/ /g, '')];
}

const titleCase = (s: string) => s.replace(/\S+/g, (w) => (/^[a-z]/.test(w) && !/[A-Z]/.test(w.slice(1)) ? w[0].toUpperCase() + w.slice(1) : w));

/** "dubai marina" / "Marsa Dubai" / "DUBAI MARINA " → "Dubai Marina". Unknown names are tidied, not refused. */
export function canonicalCommunity(raw: string): string {
  const key = squash(raw);
  const known = COMMUNITY_INDEX.get(key) ?? COMMUNITY_INDEX.get(key.replace(/^the /, ''));
  if (known) return known;
  const tidy = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return tidy === tidy.toUpperCase() || tidy === tidy.toLowerCase() ? titleCase(tidy.toLowerCase()) : tidy;
}
