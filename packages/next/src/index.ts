export * from './switchyard.js';
