export * from './database';
export * from './env';
export * from './fake-server';
export * from './service';
export * from './http';
export * from './bus';
export * from './net';
