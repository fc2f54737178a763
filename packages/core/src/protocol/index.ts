export * from './errors.js';
export * from './engine-packet.js';
export * from './eio4.js';
export * from './socket-packet.js';
export * from './eio3.js';
export * from './legacy-packet.js';
export * from './json-depth.js';
