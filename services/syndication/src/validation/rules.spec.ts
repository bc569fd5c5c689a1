import { sampleListing } from '../../test/sample-listing';
import { blocking, validateFor } from './rules';

const image = (sizeBytes: number, width: number, height: number) => ({ kind: 'image', position: 0, url: 'https://cdn.example.test/1.jpg', contentType: 'image/jpeg', sizeBytes, width, height });
const problemsWith = (media: ReturnType<typeof image>[], portal: 'propertyfinder' | 'bayut' = 'propertyfinder') =>
  validateFor(portal, sampleListing({ media })).filter((p) => p.field.startsWith('media'));

describe('image rules (Property Finder\'s limits, applied to Bayut too)', () => {
  it('keeps images under 5 KB or over 15 MB off the portals, saying which and why', () => {
    expect(blocking(problemsWith([image(4_000, 1600, 1200)]))).toEqual([{ field: 'media.0.size', severity: 'error', message: 'image 1 is 4000 bytes; portals take images of at least 5 KB' }]);
    expect(blocking(problemsWith([image(16 * 1048576, 1600, 1200)], 'bayut'))[0]?.message).toBe('image 1 is 16.0 MB; portals take images of at most 15 MB');
    expect(problemsWith([image(200_000, 1600, 1200)])).toEqual([]);
  });

  it('advises on portrait and small images without blocking them', () => {
    const problems = problemsWith([image(200_000, 600, 900)]);
    expect(blocking(problems)).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual([
      'image 1 is portrait (600×900); portals show landscape images best',
      'image 1 is 600×900; at least 800×600 looks sharp on the portals',
    ]);
  });

  it('does not judge sizes a snapshot does not carry (listings sent before sizes were read)', () => {
    expect(problemsWith([image(0, 0, 0)])).toEqual([]);
  });
});
