export * from './errors.js';
export * from './envelope.js';
export * from './pagination.js';
export * from './users.js';
export * from './wechat.js';
export * from './health.js';
export * from './site.js';
export * from './audit.js';
