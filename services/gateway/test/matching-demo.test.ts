import { eventually } from '@pace/testing';
import { ADMIN_EMAIL, type Stack, startStack } from './stack';

/** `npm start` seeds demo applicants and listings: some of them match, so matching shows something. */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({}, { listings: true, applicantsEnv: { PACE_DEMO_DATA: 'true' }, listingsEnv: { PACE_DEMO_DATA: 'true' } });
});

afterAll(() => stack.close());

it('the demo Marina apartment matches Fatima, and the Downtown rental Anna', async () => {
  const admin = await stack.session(ADMIN_EMAIL);
  const names = async (listingId: string) =>
    ((await stack.http.get(`/api/v1/listings/${listingId}/matches`, admin.headers)).body.items ?? []).map((m: { firstName: string }) => m.firstName);
  expect(await eventually(() => names('01900000-0000-7000-8000-0000000d0001'), (n) => n.length > 0)).toEqual(['Fatima']);
  expect(await eventually(() => names('01900000-0000-7000-8000-0000000d0002'), (n) => n.length > 0)).toEqual(['Anna']);
  // Not advertised (pending approval): no matches, though محمد wants a Palm villa.
  expect(await names('01900000-0000-7000-8000-0000000d0003')).toEqual([]);
});
