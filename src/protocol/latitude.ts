import type { LatitudeCatalog, LatitudePoint } from '../generated/schemas.js';
import { readSchemaFile } from '../paths.js';

export type { LatitudeCatalog, LatitudePoint };

/**
 * The project's list of every point where the profile leaves a Hive a choice
 * (schemas/latitude.json): a check touching one must pass for each choice (§11).
 */
export const LATITUDE = readSchemaFile<LatitudeCatalog>('latitude.json');
