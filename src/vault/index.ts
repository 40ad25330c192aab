export * from './vault-error.js';
export * from './keyring.js';
export * from './vault.js';
export * from './leak-guard.js';
export * from './vault.service.js';
export { fold, normaliseBirthDate } from './normalise.js';
