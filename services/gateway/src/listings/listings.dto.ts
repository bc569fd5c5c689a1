import { z } from 'zod';
import {
  captionBody,
  createListingBody,
  listingSummary,
  listingView,
  mediaView,
  noticeView,
  orderBody,
  priceHistoryView,
  transitionBody,
  updateListingBody,
} from '@pace/listings-api';
import { pageOf, requestSchema, responseSchema } from '../api/registry';

/*
 * The public shape of listings: the listings API's own schemas (`@pace/listings-api`), named
 * for OpenAPI and /api/v1/schema. The gateway rejects malformed input with them; the listings
 * service validates again and checks meaning (permits, portal fields, lifecycle).
 */
export const listingCreation = requestSchema(
  'ListingCreation',
  'A new draft listing. Only what identifies the property is needed now; the rest may follow while it is a draft. Prices are integer fils (AED); areas in sqft or sqm.',
  createListingBody,
);
export const listingChange = requestSchema('ListingChange', 'A partial edit of a listing. Send `If-Match: "<version>"` (or `version`).', updateListingBody);
export const listingTransition = requestSchema(
  'ListingTransition',
  'A lifecycle move: submit, approve/reject (a Manager of the team or an Admin, with a comment to reject), publish (needs a valid permit where the emirate requires one), unpublish, mark_under_offer, reopen, mark_sold/mark_rented, withdraw, relist.',
  transitionBody,
);
export const mediaCaption = requestSchema('MediaCaption', 'New captions of an image or floor plan.', captionBody);
export const mediaOrder = requestSchema('MediaOrder', 'The display order of one kind of media: every id of that kind, in order.', orderBody);

export const listing = responseSchema(
  'Listing',
  'A property for sale or rent. Agents see their own fully, managers their teams\', admins all; everyone may read published listings without the landlord\'s contact; tokens with `listings:read` read every listing without it.',
  listingView,
  { name: 'Listing', tag: 'listings', scope: 'listings:read' },
);
export const listingSummaryView = responseSchema('ListingSummary', 'A listing as a search lists it (no description, media or review).', listingSummary);
export const listingPage = pageOf('ListingPage', listingSummaryView, 'listings');
export const media = responseSchema('Media', 'An image or floor plan of a listing.', mediaView);
export const mediaList = responseSchema('MediaList', 'A listing\'s media in display order.', z.object({ items: z.array(media) }));
export const priceHistory = responseSchema('ListingPriceHistory', 'Every price a listing has had, newest first.', priceHistoryView);
export const notice = responseSchema('ListingNotice', 'Something an agent should know about a listing (e.g. it expired with its permit).', noticeView);
export const noticePage = pageOf('ListingNoticePage', notice, 'notices');
