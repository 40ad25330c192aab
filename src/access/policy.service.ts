/**
 * The former name of AccessService, kept while src/cases, src/action-plans and src/jobs still
 * import it: the same class, so the same injected instance answers to both names.
 * @deprecated inject AccessService (src/access/access.service.ts).
 */
export { AccessService as PolicyService } from './access.service.js';
