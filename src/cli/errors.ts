import { ApiKeysError } from '../errors';

/** A command line the CLI cannot act on: an unknown option, a missing value. Printed with the command's usage hint. */
export class UsageError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_USAGE';
}

/** A CDKTF project the CLI cannot work with: no cdktf.json, no app command, an unknown or ambiguous stack, a failed synth. */
export class ProjectError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_PROJECT';
}
