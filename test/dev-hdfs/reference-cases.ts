/**
 * Every reference case, for the raw-HTTP run (reference-raw.test.ts) and the
 * client run. See reference-case.ts for the conventions.
 */
import { createCases, renameCases } from './reference-cases-create-rename.js';
import { errorCases, pathRuleCases } from './reference-cases-errors.js';
import { clusterStateCases, permissionCases } from './reference-cases-faults.js';
import { readCases, userCases } from './reference-cases-reads-users.js';
import {
  deleteCases,
  mkdirsCases,
  rename2Cases,
} from './reference-cases-rename2-mkdirs-delete.js';
import type { ReferenceCase } from './reference-case.js';

export type { ReferenceCase } from './reference-case.js';
export { methodOf } from './reference-case.js';
export { pathRuleCases } from './reference-cases-errors.js';

export const referenceCases: ReferenceCase[] = [
  ...createCases,
  ...renameCases,
  ...rename2Cases,
  ...mkdirsCases,
  ...deleteCases,
  ...permissionCases,
  ...errorCases,
  ...clusterStateCases,
  ...readCases,
  ...userCases,
  ...pathRuleCases,
];
