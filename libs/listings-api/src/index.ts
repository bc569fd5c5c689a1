/*
 * The listings API's contract: its vocabulary (Property Finder's enumerations), request schemas
 * and response shapes. The listings service validates with them; the gateway validates with the
 * same objects at the public edge and documents them in OpenAPI and /api/v1/schema.
 */
export * from './vocabulary';
export * from './listing.schema';
export * from './search.schema';
export * from './media.schema';
export * from './sync.schema';
