// Which names a workflow artifact may have, apart from the module that loads @actions/artifact: settings
// check an artifact input's name at start-up, before anything is signed, without loading the library.
import { ProvenanceError } from '../common/errors.ts';

export const ARTIFACT_SERVICE = 'GitHub Actions artifact service';

// Characters @actions/artifact rejects in artifact names (and, for file names, path separators too).
export const BAD_NAME = /["':<>|*?\r\n\\/]/;

/** Throws INPUT_INVALID for a name @actions/artifact would refuse; `input` names the action input. */
export function checkArtifactName(name: string, input = 'artifact name'): void {
  if (name.trim() === '' || BAD_NAME.test(name)) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${input} "${name}" cannot be used for a ${ARTIFACT_SERVICE} artifact`,
      'Use a non-empty name without " : < > | * ? \\ / or line breaks',
    );
  }
}
