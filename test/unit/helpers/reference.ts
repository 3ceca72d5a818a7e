// Where the shared reference data lives: shared/ sits beside the repository (as in CI).
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = fileURLToPath(
  new URL('../../../../shared/reference/kdiffusion-gmm/', import.meta.url),
);
