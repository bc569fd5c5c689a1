export * from './proto';
export * from './errors';
export * from './server';
export * from './client';
export * from './contracts/applicants';
