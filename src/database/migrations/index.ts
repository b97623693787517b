import { Initial1795719178221 } from './1795719178221-initial.js';
import { ReferenceData1795719178222 } from './1795719178222-reference-data.js';
import { Organisations1795720095294 } from './1795720095294-organisations.js';
import { CatalogueTables1795720428179 } from './1795720428179-catalogue-tables.js';
import { NeedsTables1795720612598 } from './1795720612598-needs-tables.js';
import { CatalogueSearch1795720688881 } from './1795720688881-catalogue-search.js';

/** Every migration, in order. A committed migration is never edited: add a new one. */
export const MIGRATIONS = [
  Initial1795719178221,
  ReferenceData1795719178222,
  Organisations1795720095294,
  CatalogueTables1795720428179,
  NeedsTables1795720612598,
  CatalogueSearch1795720688881,
];
